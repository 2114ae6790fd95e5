import { createHmac, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TickerError, invalid } from '../model/index.js';

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  keylen: number,
  opts: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export type Role = 'viewer' | 'trader' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'trader', 'admin'];
const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

/** Roles are ordered: an admin may do what a trader may, a trader what a viewer may. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export interface UserRecord {
  readonly username: string;
  readonly role: Role;
  readonly salt: string;
  readonly hash: string;
  readonly createdAt: string;
}

export interface TokenClaims {
  readonly sub: string;
  readonly role: Role;
  readonly typ: 'access' | 'refresh';
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
}

// scrypt cost: N=2^15, r=8 (OWASP's minimum recommendation for scrypt), 64-byte key.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(
  password: string,
  salt = randomBytes(16),
): Promise<{ salt: string; hash: string }> {
  const key = await scrypt(password, salt, 64, SCRYPT);
  return { salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPassword(
  password: string,
  rec: { salt: string; hash: string },
): Promise<boolean> {
  const key = await scrypt(password, Buffer.from(rec.salt, 'base64'), 64, SCRYPT);
  const want = Buffer.from(rec.hash, 'base64');
  return want.length === key.length && timingSafeEqual(key, want);
}

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** HS256 JSON Web Tokens (RFC 7519) with node:crypto: only HS256 is accepted, signatures compared in constant time. */
export class JwtSigner {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw invalid('jwt.secret', `${secret.length} bytes`, 'needs at least 32 bytes');
  }
  sign(claims: TokenClaims): string {
    const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
    return `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`;
  }
  /** The claims of a valid, unexpired token, or undefined. */
  verify(token: string, nowSec: number): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const want = createHmac('sha256', this.secret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2]!, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
    let c: TokenClaims;
    try {
      c = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    if (typeof c.exp !== 'number' || c.exp <= nowSec) return undefined;
    if (!ROLES.includes(c.role)) return undefined;
    return c;
  }
}

export interface AuthOptions {
  /** Where jwt-secret and users.json live (created 0600); undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
  readonly accessTtlSec?: number;
  readonly refreshTtlSec?: number;
  /** The first admin's password (TICKERML_ADMIN_PASSWORD); generated when absent. */
  readonly adminPassword?: string;
  readonly now?: () => number;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly role: Role;
}

/** Users, password checks, token issue/refresh/revocation. */
export class AuthService {
  readonly signer: JwtSigner;
  readonly accessTtl: number;
  readonly refreshTtl: number;
  private readonly users = new Map<string, UserRecord>();
  /** Revoked token ids until their expiry (logout, refresh rotation). */
  private readonly revoked = new Map<string, number>();
  private readonly dir: string | undefined;
  private readonly now: () => number;

  private constructor(secret: Buffer, opts: AuthOptions) {
    this.signer = new JwtSigner(secret);
    this.accessTtl = opts.accessTtlSec ?? 900;
    this.refreshTtl = opts.refreshTtlSec ?? 7 * 86_400;
    this.dir = opts.dataDir;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /**
   * Loads (or on first start creates) the secret and the users. With no users yet an admin is created;
   * `createdAdmin.password` is returned only then, for the caller to print once.
   */
  static async open(opts: AuthOptions = {}): Promise<{
    auth: AuthService;
    createdAdmin?: { username: string; password: string; generated: boolean };
  }> {
    let secret: Buffer;
    if (opts.dataDir) {
      mkdirSync(opts.dataDir, { recursive: true });
      const f = join(opts.dataDir, 'jwt-secret');
      if (existsSync(f)) secret = Buffer.from(readFileSync(f, 'utf8').trim(), 'hex');
      else {
        secret = randomBytes(32);
        writeFileSync(f, secret.toString('hex') + '\n', { mode: 0o600 });
      }
    } else secret = randomBytes(32);
    const auth = new AuthService(secret, opts);
    if (opts.dataDir) {
      const f = join(opts.dataDir, 'users.json');
      if (existsSync(f))
        for (const u of (JSON.parse(readFileSync(f, 'utf8')) as { users: UserRecord[] }).users)
          auth.users.set(u.username, u);
    }
    if (auth.users.size > 0) return { auth };
    const generated = !opts.adminPassword;
    const password = opts.adminPassword ?? randomBytes(12).toString('base64url');
    if (password.length < 8)
      throw invalid('env.TICKERML_ADMIN_PASSWORD', '(hidden)', 'must be at least 8 characters');
    await auth.createUser('admin', password, 'admin');
    return { auth, createdAdmin: { username: 'admin', password, generated } };
  }

  listUsers(): { username: string; role: Role; createdAt: string }[] {
    return [...this.users.values()].map(({ username, role, createdAt }) => ({ username, role, createdAt }));
  }

  async createUser(
    username: string,
    password: string,
    role: Role,
  ): Promise<{ username: string; role: Role; createdAt: string }> {
    if (this.users.has(username))
      throw new TickerError('CONFLICT', `user '${username}' exists`, { field: 'username', value: username });
    const { salt, hash } = await hashPassword(password);
    const rec: UserRecord = {
      username,
      role,
      salt,
      hash,
      createdAt: new Date(this.now() * 1000).toISOString(),
    };
    this.users.set(username, rec);
    this.save();
    return { username, role, createdAt: rec.createdAt };
  }

  deleteUser(username: string): boolean {
    const u = this.users.get(username);
    if (!u) return false;
    if (u.role === 'admin' && [...this.users.values()].filter((x) => x.role === 'admin').length === 1)
      throw new TickerError('CONFLICT', 'the last admin cannot be deleted', {
        field: 'username',
        value: username,
      });
    this.users.delete(username);
    this.save();
    return true;
  }

  private save(): void {
    if (!this.dir) return;
    const f = join(this.dir, 'users.json');
    writeFileSync(f + '.tmp', JSON.stringify({ users: [...this.users.values()] }, null, 1), { mode: 0o600 });
    renameSync(f + '.tmp', f);
    chmodSync(f, 0o600);
  }

  /** Checks the password (always spending one scrypt, so unknown users take as long as known ones). */
  async login(username: string, password: string): Promise<TokenPair | undefined> {
    const u = this.users.get(username);
    const ok = await verifyPassword(
      password,
      u ?? { salt: 'AAAAAAAAAAAAAAAAAAAAAA==', hash: 'A'.repeat(88) },
    );
    if (!u || !ok) return undefined;
    return this.issue(u.username, u.role);
  }

  private issue(sub: string, role: Role): TokenPair {
    const iat = this.now();
    const accessToken = this.signer.sign({
      sub,
      role,
      typ: 'access',
      jti: randomUUID(),
      iat,
      exp: iat + this.accessTtl,
    });
    const refreshToken = this.signer.sign({
      sub,
      role,
      typ: 'refresh',
      jti: randomUUID(),
      iat,
      exp: iat + this.refreshTtl,
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.accessTtl, role };
  }

  /** Claims of a valid, unrevoked token of the given type. */
  verify(token: string, typ: 'access' | 'refresh'): TokenClaims | undefined {
    const c = this.signer.verify(token, this.now());
    if (!c || c.typ !== typ || this.revoked.has(c.jti)) return undefined;
    // A deleted user's tokens stop working; a changed role takes effect at the next login.
    if (!this.users.has(c.sub)) return undefined;
    return c;
  }

  /** Rotates: the refresh token is spent and a new pair issued. */
  refresh(refreshToken: string): TokenPair | undefined {
    const c = this.verify(refreshToken, 'refresh');
    if (!c) return undefined;
    this.revoke(c);
    const u = this.users.get(c.sub)!;
    return this.issue(u.username, u.role);
  }

  revoke(c: TokenClaims): void {
    this.revoked.set(c.jti, c.exp);
    const now = this.now();
    if (this.revoked.size > 10_000)
      for (const [j, exp] of this.revoked) if (exp <= now) this.revoked.delete(j);
  }
}
