/**
 * runlens's settings file (profiles for the API source), a small typed wrapper around `conf`.
 *
 * The file is validated with zod on every read, so a hand-edited mistake gives a message naming
 * the file and the field rather than a crash or, worse, a silent reset. A file that does not parse
 * is never overwritten: writes refuse until it is fixed or deleted.
 */
import Conf from 'conf';
import {formatZodPath} from '../format/zodMessages.js';
import {
  apiKeyEnvProblem,
  headerProblem,
  looksLikeSecret,
  PROFILE_NAME,
  profileSchema,
  settingsSchema,
  type NamedProfile,
  type Profile,
  type SettingsData,
} from './profile.js';

/** The settings file cannot be read or would not be valid after a change. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** A profile that may not be stored as given (a key where an env name goes, a bad URL, …). */
export class InvalidProfileError extends SettingsError {
  override name = 'InvalidProfileError';
}

/** A profile name that is not in the settings. */
export class ProfileNotFoundError extends SettingsError {
  override name = 'ProfileNotFoundError';
  constructor(readonly profileName: string, known: readonly string[]) {
    super(
      known.length === 0
        ? `no profile named '${profileName}' (no profiles yet; add one with 'runlens profile add ${profileName} --base-url URL')`
        : `no profile named '${profileName}' (profiles: ${known.join(', ')})`,
    );
  }
}

export interface SettingsOptions {
  /** The folder holding config.json. Default: the user's config folder (`~/.config/runlens`). */
  cwd?: string;
}

/** How many threads a profile remembers. */
export const REMEMBERED_THREADS = 50;

/** The folder `RUNLENS_CONFIG_DIR` names, for `new Settings({cwd: settingsDirFromEnv(env)})`. */
export function settingsDirFromEnv(env: Record<string, string | undefined>): string | undefined {
  const dir = env['RUNLENS_CONFIG_DIR'];
  return dir && dir.trim() !== '' ? dir : undefined;
}

export class Settings {
  readonly #conf: Conf<SettingsData>;
  /** Set when the file on disk is not JSON: reads report it, writes refuse. */
  #parseError: string | null = null;

  constructor(options: SettingsOptions = {}) {
    this.#conf = new Conf<SettingsData>({
      projectName: 'runlens',
      // `~/.config/runlens`, not conf's default `runlens-nodejs`.
      projectSuffix: '',
      cwd: options.cwd,
      // Profiles name env variables rather than hold keys, but headers and org ids are still
      // nobody else's business.
      configFileMode: 0o600,
      // Profile names may contain dots; they are keys, not paths.
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      // conf reads the file in its constructor and would throw there; record the problem instead
      // so that `config path` still works and the message can name the file.
      deserialize: (text: string) => {
        this.#parseError = null;
        try {
          return JSON.parse(text) as SettingsData;
        } catch (error) {
          this.#parseError = error instanceof Error ? error.message : String(error);
          return {};
        }
      },
    });
  }

  /** The settings file (it may not exist yet). */
  get path(): string {
    return this.#conf.path;
  }

  /** The whole file, validated. Throws SettingsError naming the file and the field. */
  read(): SettingsData {
    let store: unknown;
    try {
      store = this.#conf.store;
    } catch (error) {
      throw new SettingsError(`cannot read ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.#parseError !== null) {
      throw new SettingsError(`${this.path} is not valid JSON (${this.#parseError}); fix it or delete it`);
    }
    const result = settingsSchema.zod.safeParse(store);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const where = formatZodPath(issue.path);
      throw new SettingsError(`${this.path}: ${where ? `${where}: ` : ''}${issue.message}; fix it or delete it`);
    }
    return result.data;
  }

  #write(data: SettingsData): void {
    // Validate what is about to be written, so a bug never produces a file the next read refuses.
    const result = settingsSchema.zod.safeParse(data);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const where = formatZodPath(issue.path);
      throw new SettingsError(`${where ? `${where}: ` : ''}${issue.message}`);
    }
    try {
      this.#conf.store = data;
    } catch (error) {
      throw new SettingsError(`cannot write ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Profile names, sorted. */
  profileNames(): string[] {
    return Object.keys(this.read().profiles ?? {}).sort();
  }

  /** Every profile with its name, sorted by name. */
  listProfiles(): NamedProfile[] {
    const profiles = this.read().profiles ?? {};
    return Object.keys(profiles)
      .sort()
      .map((name) => ({name, ...profiles[name]!}));
  }

  /** The profile, or null when there is none by that name. */
  findProfile(name: string): NamedProfile | null {
    const profiles = this.read().profiles ?? {};
    if (!Object.hasOwn(profiles, name)) return null;
    return {name, ...profiles[name]!};
  }

  /** The profile; throws ProfileNotFoundError naming the known ones. */
  getProfile(name: string): NamedProfile {
    const profile = this.findProfile(name);
    if (!profile) throw new ProfileNotFoundError(name, this.profileNames());
    return profile;
  }

  /** The profile `--profile` names, else the default one, else null. */
  resolveProfile(name?: string | null): NamedProfile | null {
    if (name) return this.getProfile(name);
    const fallback = this.read().defaultProfile;
    return fallback ? this.findProfile(fallback) : null;
  }

  /**
   * Adds or replaces a profile. Throws SettingsError when a field is invalid (an `apiKeyEnv`
   * that is a key, a header holding a credential, a bad URL) or, without `replace`, when the
   * name is taken.
   */
  addProfile(name: string, profile: Profile, options: {replace?: boolean} = {}): NamedProfile {
    if (looksLikeSecret(name)) throw new InvalidProfileError('that looks like a key, not a profile name');
    if (!PROFILE_NAME.test(name)) {
      throw new InvalidProfileError(`'${name}' is not a valid profile name (letters, digits, '.', '_' and '-'; up to 64)`);
    }
    if (profile.apiKeyEnv !== undefined) {
      const problem = apiKeyEnvProblem(profile.apiKeyEnv);
      if (problem) throw new InvalidProfileError(`--api-key-env ${problem}`);
    }
    for (const [header, value] of Object.entries(profile.headers ?? {})) {
      const problem = headerProblem(header, value);
      if (problem) throw new InvalidProfileError(problem);
    }
    const checked = profileSchema.zod.safeParse(profile);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new InvalidProfileError(`${formatZodPath(issue.path) || 'profile'}: ${issue.message}`);
    }
    const data = this.read();
    const profiles = {...data.profiles};
    if (Object.hasOwn(profiles, name) && !options.replace) {
      throw new SettingsError(`a profile named '${name}' already exists (use --replace to overwrite it)`);
    }
    profiles[name] = checked.data;
    this.#write({...data, profiles});
    return {name, ...checked.data};
  }

  /** Removes a profile; false when there was none by that name. */
  removeProfile(name: string): boolean {
    const data = this.read();
    if (!data.profiles || !Object.hasOwn(data.profiles, name)) return false;
    const profiles = {...data.profiles};
    delete profiles[name];
    const next: SettingsData = {...data, profiles};
    if (next.defaultProfile === name) delete next.defaultProfile;
    this.#write(next);
    return true;
  }

  /** The profile used when none is named, or null. */
  get defaultProfile(): string | null {
    return this.read().defaultProfile ?? null;
  }

  /** Makes a profile the default (null clears it). Throws ProfileNotFoundError. */
  setDefaultProfile(name: string | null): void {
    const data = this.read();
    if (name === null) {
      const next = {...data};
      delete next.defaultProfile;
      this.#write(next);
      return;
    }
    this.getProfile(name);
    this.#write({...data, defaultProfile: name});
  }

  /**
   * Remembers threads opened with a profile: most recent first, no duplicates, at most
   * REMEMBERED_THREADS. Returns the profile's threads after the change.
   */
  rememberThreads(name: string, threadIds: readonly string[]): string[] {
    const data = this.read();
    const profile = data.profiles?.[name];
    if (!profile || !Object.hasOwn(data.profiles!, name)) throw new ProfileNotFoundError(name, this.profileNames());
    const fresh = threadIds.filter((id) => id.trim() !== '');
    const threads = [...new Set([...fresh, ...(profile.threads ?? [])])].slice(0, REMEMBERED_THREADS);
    this.#write({...data, profiles: {...data.profiles, [name]: {...profile, threads}}});
    return threads;
  }
}
