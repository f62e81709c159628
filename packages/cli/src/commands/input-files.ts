/**
 * The files and numbers flags name, read and checked in one place for every command: a JSON file
 * (`--plan`, `--profile`), a profile (`--profile`, `--target-profile`: one reader, one set of
 * checks), and `--scale` (one parser).
 *
 * @example
 * ```ts
 * const profile = await readProfileFile('prod.json', { dialect: 'postgres' });
 * const scale = parseScale(options.scale); // 0.1
 * ```
 */
import { PROFILE_VERSION, ProfileModel, readTextFile, UsageError, type Profile } from '@understudy/core';

/**
 * The JSON of a file a flag names (`--profile`, `--plan`).
 * @throws UsageError naming the flag and file: no such file (saying how to make one), or not JSON.
 */
export async function readJsonFile(flag: string, file: string, command: string): Promise<unknown> {
  const text = await readTextFile(file, `${flag} ${file}`, `Make one with: understudy ${command} --url URL --out ${command}.json`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} ${file} is not valid JSON: ${(error as Error).message}`, { hint: `Use the file \`understudy ${command} --out\` wrote, unedited or edited as JSON.` });
  }
}

/**
 * The profile a flag names, validated (version, model) and, given `dialect`, checked to be of that engine.
 * @throws UsageError naming the flag and file: missing, not JSON, an unknown version, not a profile, or another dialect.
 */
export async function readProfileFile(file: string, options: { readonly flag?: string; readonly dialect?: string } = {}): Promise<Profile> {
  const flag = options.flag ?? '--profile';
  const json = await readJsonFile(flag, file, 'profile');
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== PROFILE_VERSION) {
    throw new UsageError(`${flag} ${file}: profile version ${JSON.stringify(version ?? null)} is not one this understudy reads (it reads version ${PROFILE_VERSION})`, {
      hint: 'Take the profile again with this version: understudy profile --url URL --out profile.json',
    });
  }
  const parsed = ProfileModel.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${flag} ${file} is not a valid profile at ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      hint: 'Take it again with: understudy profile --url URL --out profile.json',
    });
  }
  const { dialect } = options;
  if (dialect !== undefined && parsed.data.dialect !== dialect) {
    throw new UsageError(`${flag} ${file} was taken from a ${parsed.data.dialect} database, but the target schema is ${dialect}`, {
      hint: `Values, types and statistics differ between engines: profile a ${dialect} database with the same schema, or seed a ${parsed.data.dialect} target.`,
    });
  }
  return parsed.data;
}

/**
 * `--scale X` (or the config's `scale`, passed on as the flag's text): a positive number.
 * @throws UsageError naming the flag.
 */
export function parseScale(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const scale = Number(value);
  if (value.trim() === '' || !Number.isFinite(scale) || scale <= 0) throw new UsageError(`--scale must be a positive number, e.g. 0.1 (got "${value}")`);
  return scale;
}
