/**
 * The near-physical limit on this machine: Fastify, a urlencoded body, a SHA-256 secret compare
 * and an EdDSA JWT signed with jose. No database, no cache, nothing else.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';

const port = Number(process.env.PORT ?? 0);
const secretHash = createHash('sha256')
  .update(process.env.CLIENT_SECRET ?? 'secret')
  .digest();
const { privateKey } = await generateKeyPair('EdDSA');
const app = Fastify();
await app.register(formbody);
app.post('/oauth/token', async (request, reply) => {
  const body = request.body as Record<string, string>;
  const presented = createHash('sha256')
    .update(body.client_secret ?? '')
    .digest();
  if (body.client_id !== process.env.CLIENT_ID || !timingSafeEqual(presented, secretHash)) {
    return reply.status(401).send({ error: 'invalid_client' });
  }
  const access_token = await new SignJWT({ client_id: body.client_id, scope: 'read' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
    .setIssuer('http://127.0.0.1')
    .setSubject(body.client_id)
    .setIssuedAt()
    .setExpirationTime('1h')
    .setJti(randomBytes(16).toString('base64url'))
    .sign(privateKey);
  return { access_token, token_type: 'Bearer', expires_in: 3600 };
});
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${(app.server.address() as { port: number }).port}\n`);
