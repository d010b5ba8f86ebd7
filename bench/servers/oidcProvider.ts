/**
 * The peer a Node team would pick: node-oidc-provider, client_credentials only, its default
 * in-memory adapter. ACCESS_TOKEN_FORMAT=jwt (EdDSA via resource indicators) or opaque.
 */
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const format = process.env.ACCESS_TOKEN_FORMAT === 'jwt' ? 'jwt' : 'opaque';
const issuer = `http://127.0.0.1:${port}`;
const resource = 'urn:keyward:bench';
const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID!,
      client_secret: process.env.CLIENT_SECRET!,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'EdDSA',
    },
  ],
  jwks: { keys: [{ ...jwk, kid: 'bench', alg: 'EdDSA', use: 'sig' } as any] },
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'read',
        accessTokenFormat: format,
        accessTokenTTL: 3600,
        ...(format === 'jwt' ? { jwt: { sign: { alg: 'EdDSA' } } } : {}),
      }),
    },
  },
});
provider.listen(port, '127.0.0.1', () => process.stdout.write(`LISTENING ${port}\n`));
