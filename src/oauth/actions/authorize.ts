import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { activePersonByEmail, activePersonById } from '../../domain/people/personLookup.js';
import { hashPassword, passwordMatches } from '../../domain/people/passwords.js';
import type { LoginSession } from '../../domain/sessions/loginSessions.js';
import { issueAuthorizationCode } from '../../domain/grants/codes.js';
import { CSRF_COOKIE, readCookie, SESSION_COOKIE, setCookie } from '../../http/cookies.js';
import { consentPage, errorPage, loginPage, PAGE_CSP } from '../ui/pages.js';
import { validateAuthorizeRequest } from '../authorize/index.js';
import { AuthorizeError, readAuthorizeParams, type AuthorizeRequest } from '../authorize/request.js';
import type { OAuthContext } from '../context.js';
import { loginConnections, redirectToUpstream } from '../federation.js';
import { sendFormPost } from '../formPost.js';

// Same words for a wrong password, an unknown account and a locked one: no account enumeration.
const LOGIN_FAILED =
  'The email or password is wrong, or there were too many attempts. Wait a moment and try again.';
// Compared against when the account does not exist, so both paths cost one argon2 verification.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

const isForm = (request: FastifyRequest) =>
  /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');

export function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('Content-Security-Policy', PAGE_CSP)
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}

export function csrfToken(ctx: OAuthContext, request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(request, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  setCookie(reply, CSRF_COOKIE, token, ctx.secureCookies);
  return token;
}

/** Double-submit check: the form's csrf field must equal the csrf cookie. */
export function csrfValid(request: FastifyRequest, body: Record<string, unknown>): boolean {
  const cookie = readCookie(request, CSRF_COOKIE);
  return typeof body.csrf === 'string' && !!cookie && body.csrf === cookie;
}

function redirectWith(
  reply: FastifyReply,
  req: AuthorizeRequest,
  ctx: OAuthContext,
  fields: Record<string, string>,
) {
  const response = { ...fields };
  if (req.params.state !== undefined) response.state = req.params.state;
  response.iss = ctx.issuer; // RFC 9207: lets the client detect mix-up attacks
  if (req.responseMode === 'form_post') return sendFormPost(reply, req.redirectUri!, response);
  const url = new URL(req.redirectUri!);
  for (const [k, v] of Object.entries(response)) url.searchParams.set(k, v);
  return reply.status(303).header('Cache-Control', 'no-store').redirect(url.href, 303);
}

export function fail(reply: FastifyReply, req: AuthorizeRequest, ctx: OAuthContext, error: unknown) {
  if (!(error instanceof AuthorizeError)) throw error;
  if (!error.redirectable || !req.redirectUri)
    return html(reply, 400, errorPage('Cannot continue', error.description));
  return redirectWith(reply, req, ctx, { error: error.error, error_description: error.description });
}

/** After the checks: log in, ask consent, or issue the code. */
export async function proceed(
  ctx: OAuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  req: AuthorizeRequest,
  session: LoginSession | undefined,
  freshLogin: boolean,
) {
  const client = req.client!;
  const tooOld =
    req.maxAgeSeconds !== undefined &&
    session !== undefined &&
    Date.now() - session.authTime > req.maxAgeSeconds * 1000;
  // id_token_hint names the person expected: another person's session does not count.
  const otherPerson = req.hintSubject !== undefined && !freshLogin && session?.personId !== req.hintSubject;
  if (!session || tooOld || otherPerson || (req.prompts.has('login') && !freshLogin)) {
    if (req.prompts.has('none')) throw new AuthorizeError('login_required', 'The person is not signed in.');
    // Federation: connection_id sends the browser to that upstream identity provider instead.
    if (req.connection) return redirectToUpstream(ctx, request, reply, req);
    const connections = await loginConnections(ctx, req);
    return html(
      reply,
      200,
      loginPage({
        clientName: client.name,
        params: req.params,
        csrf: csrfToken(ctx, request, reply),
        email: req.params.login_hint,
        connections,
      }),
    );
  }
  const person = await activePersonById(ctx.db, session.personId);
  if (!person) throw new AuthorizeError('login_required', 'The person is not signed in.');
  const consented = await ctx.consents.covers(client.id, person.id, req.scopes);
  if (!consented || req.prompts.has('consent')) {
    if (req.prompts.has('none'))
      throw new AuthorizeError('consent_required', 'The person has not consented to this application.');
    return html(
      reply,
      200,
      consentPage({
        clientName: client.name,
        scopes: req.scopes,
        params: req.params,
        csrf: csrfToken(ctx, request, reply),
        personEmail: person.email,
      }),
    );
  }
  return issueCode(ctx, reply, req, session);
}

async function issueCode(
  ctx: OAuthContext,
  reply: FastifyReply,
  req: AuthorizeRequest,
  session: LoginSession,
) {
  const code = await issueAuthorizationCode(ctx.db, {
    orgId: session.orgId,
    clientId: req.client!.id,
    personId: session.personId,
    redirectUri: req.redirectUri!,
    scopes: req.scopes,
    codeChallenge: req.params.code_challenge,
    nonce: req.params.nonce,
    authTime: session.authTime,
    claims: req.claims,
    acr: req.acr,
    sid: session.sid,
  });
  return redirectWith(reply, req, ctx, { code });
}

type FormStepHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  req: AuthorizeRequest,
  body: Record<string, unknown>,
) => Promise<unknown>;

/**
 * A form posted back from one of Keyward's pages: the authorization request it carries in hidden
 * fields is validated again from scratch, and the CSRF token checked, before the step runs.
 */
function formStep(ctx: OAuthContext, step: FormStepHandler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const req = readAuthorizeParams(body);
    try {
      await validateAuthorizeRequest(ctx, req);
      if (!csrfValid(request, body)) {
        const message = 'The form was not accepted (missing or wrong CSRF token). Go back and try again.';
        return html(reply, 403, errorPage('Form expired', message));
      }
      return await step(request, reply, req, body);
    } catch (error) {
      return fail(reply, req, ctx, error);
    }
  };
}

/** GET and POST /oauth/authorize, and the login and consent forms that post back to it. */
export function authorizeActions(app: FastifyInstance, ctx: OAuthContext): void {
  const schema = { tags: ['oauth'] };

  // OIDC Core §3.1.2.1: the authorization endpoint MUST support GET and POST (form-encoded);
  // both go through the same pipeline.
  const start =
    (read: (request: FastifyRequest) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
      const source = read(request);
      if (source === undefined) {
        const message = 'A POSTed authorization request must be application/x-www-form-urlencoded.';
        return html(reply, 400, errorPage('Cannot continue', message));
      }
      const req = readAuthorizeParams(
        source && typeof source === 'object' ? (source as Record<string, unknown>) : {},
      );
      try {
        await validateAuthorizeRequest(ctx, req);
        const session = await ctx.sessions.find(readCookie(request, SESSION_COOKIE));
        return await proceed(ctx, request, reply, req, session, false);
      } catch (error) {
        return fail(reply, req, ctx, error);
      }
    };
  const summary = 'Authorization endpoint (code flow with PKCE)';
  app.get(
    '/oauth/authorize',
    { schema: { ...schema, summary } },
    start((r) => r.query),
  );
  app.post(
    '/oauth/authorize',
    { schema: { ...schema, summary } },
    start((r) => (isForm(r) ? r.body : undefined)),
  );

  app.post(
    '/oauth/authorize/login',
    { schema: { ...schema, summary: 'Login form' } },
    formStep(ctx, async (request, reply, req, body) => {
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const keys = [`account:${email}`, `address:${request.ip}`];
      const again = async () =>
        html(
          reply,
          401,
          loginPage({
            clientName: req.client!.name,
            params: req.params,
            csrf: csrfToken(ctx, request, reply),
            email,
            error: LOGIN_FAILED,
            connections: await loginConnections(ctx, req),
          }),
        );
      // Counted before the (costly) verification, so parallel tries cannot outrun the lockout.
      if ((await ctx.throttle.attempt(keys)) > 0) return again();
      const person = email ? await activePersonByEmail(ctx.db, email) : undefined;
      const ok = await passwordMatches(password, person?.passwordHash ?? (await dummy()));
      if (!person || !ok) return again();
      await ctx.throttle.succeeded(keys);
      const { cookieValue, session } = await ctx.sessions.start(person.id, person.orgId);
      setCookie(reply, SESSION_COOKIE, cookieValue, ctx.secureCookies);
      return await proceed(ctx, request, reply, req, session, true);
    }),
  );

  app.post(
    '/oauth/authorize/consent',
    { schema: { ...schema, summary: 'Consent form' } },
    formStep(ctx, async (request, reply, req, body) => {
      const session = await ctx.sessions.find(readCookie(request, SESSION_COOKIE));
      if (!session) return await proceed(ctx, request, reply, req, undefined, false);
      if (body.decision !== 'allow')
        throw new AuthorizeError('access_denied', 'The person denied the request.');
      await ctx.consents.remember(req.client!.id, session.personId, session.orgId, req.scopes);
      return await issueCode(ctx, reply, req, session);
    }),
  );
}
