/**
 * What a caller presented, already parsed from the HTTP Authorization header by the edge
 * (src/http/credentials.ts): the domain checks credentials, it never reads headers.
 */
export interface BearerCredentials {
  kind: 'bearer';
  /** A Keyward access token, or an access key (a JWT the service client signed itself). */
  token: string;
}

export interface BasicCredentials {
  kind: 'basic';
  /** As sent, and form-decoded (RFC 6749 §2.3.1; equal to the raw value when nothing was encoded). */
  id: string;
  secret: string;
  decodedId: string;
  decodedSecret: string;
}

export type Credentials = BearerCredentials | BasicCredentials;
