import type { Model } from 'mongoose';
import { idsOf, insertMissing } from './importer';
import {
  type ClassificationGroupMember,
  groupMemberKey,
  type Profile,
  type Scheme,
  type TypingModels,
  type TypingUser,
} from './models';

export interface UserSpec {
  database: string;
  id?: number;
  firstName: string;
  surname: string;
  affiliation: string;
  email: string;
  status: TypingUser['status'];
  /** The Helixgate account (its e-mail) the user signs in with; defaults to the user's e-mail. */
  account?: string;
}

/** Adds a user to a database, or updates the user with that id (or, without an id, that e-mail). */
export async function saveUser(models: TypingModels, spec: UserSpec): Promise<TypingUser> {
  if (!(await models.databases.exists({ _id: spec.database })))
    throw new Error(`database ${spec.database} does not exist here`);
  const byEmail =
    spec.id === undefined
      ? await models.users.findOne({ database: spec.database, email: spec.email }).lean<TypingUser>()
      : null;
  const last = await models.users
    .findOne({ database: spec.database }, { id: 1 })
    .sort({ id: -1 })
    .lean<Pick<TypingUser, 'id'>>();
  const id = spec.id ?? byEmail?.id ?? Math.max(1, (last?.id ?? 0) + 1);
  const user: TypingUser = {
    database: spec.database,
    id,
    firstName: spec.firstName,
    surname: spec.surname,
    affiliation: spec.affiliation,
    email: spec.email,
    status: spec.status,
    account: (spec.account ?? spec.email).toLowerCase(),
  };
  await models.users.updateOne({ database: spec.database, id }, { $set: user }, { upsert: true });
  return user;
}

export interface ClassificationSpec {
  /** A seqdef database. */
  database: string;
  schemeId: number;
  id: number;
  name: string;
  description?: string;
  /** Profiles that differ at no more than this many loci are linked. */
  threshold: number;
}

/** Every way of choosing k of n positions (n is a scheme's locus count; k is small). */
function* combinations(n: number, k: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let i = start; i < n; i += 1) yield* combinations(n, k, i + 1, [...chosen, i]);
}

/**
 * A classification scheme as BIGSdb builds them: single-linkage clusters of a scheme's profiles, two profiles linked
 * when they differ at no more than `threshold` loci. Two profiles differ at ≤ t loci exactly when masking some t
 * loci makes them equal, so every profile is hashed once per set of t masked loci and profiles sharing a hash are
 * joined: no all-pairs comparison. Group ids are stable: a profile classified before keeps its group, and a new
 * profile joins the group of a classified profile it links to, or a new group.
 */
export async function classifyProfiles(
  models: TypingModels,
  spec: ClassificationSpec,
): Promise<{ profiles: number; groups: number; inserted: number }> {
  const scheme = await models.schemes.findOne({ database: spec.database, id: spec.schemeId }).lean<Scheme>();
  if (!scheme) throw new Error(`scheme ${spec.schemeId} does not exist in ${spec.database}`);
  if (!Number.isInteger(spec.threshold) || spec.threshold < 0 || spec.threshold >= scheme.loci.length)
    throw new Error(`--threshold must be 0 to ${scheme.loci.length - 1}`);
  const existingScheme = await models.classificationSchemes.findOne({ database: spec.database, id: spec.id }).lean();
  if (
    existingScheme &&
    (existingScheme.schemeId !== spec.schemeId || existingScheme.inclusionThreshold !== spec.threshold)
  ) {
    throw new Error(
      `classification scheme ${spec.id} already exists for scheme ${existingScheme.schemeId} at threshold ${existingScheme.inclusionThreshold}`,
    );
  }
  await models.classificationSchemes.updateOne(
    { database: spec.database, id: spec.id },
    {
      $set: {
        schemeId: spec.schemeId,
        name: spec.name,
        description: spec.description,
        inclusionThreshold: spec.threshold,
        relativeThreshold: false,
        displayOrder: spec.id,
      },
    },
    { upsert: true },
  );
  const profiles = await models.profiles
    .find({ database: spec.database, schemeId: spec.schemeId }, { profileId: 1, order: 1, alleles: 1 })
    .sort({ order: 1, profileId: 1 })
    .lean<Profile[]>();
  const parent = profiles.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (const masked of combinations(scheme.loci.length, spec.threshold)) {
    const firstWithKey = new Map<string, number>();
    profiles.forEach((profile, i) => {
      const key = profile.alleles.map((a, position) => (masked.includes(position) ? '*' : a)).join('\t');
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, i);
      else parent[find(i)] = find(first);
    });
  }
  const assigned = new Map(
    (
      await models.classificationGroups
        .find({ database: spec.database, classificationSchemeId: spec.id }, { profileId: 1, groupId: 1 })
        .lean<ClassificationGroupMember[]>()
    ).map((m) => [m.profileId, m.groupId]),
  );
  const clusterGroup = new Map<number, number>();
  profiles.forEach((profile, i) => {
    const group = assigned.get(profile.profileId);
    const root = find(i);
    if (group !== undefined && (clusterGroup.get(root) ?? Infinity) > group) clusterGroup.set(root, group);
  });
  let nextGroup = Math.max(0, ...assigned.values()) + 1;
  async function* members(): AsyncGenerator<ClassificationGroupMember> {
    for (const [i, profile] of profiles.entries()) {
      const root = find(i);
      if (!clusterGroup.has(root)) clusterGroup.set(root, nextGroup++);
      yield {
        _id: groupMemberKey(spec.database, spec.id, profile.profileId),
        database: spec.database,
        classificationSchemeId: spec.id,
        groupId: clusterGroup.get(root)!,
        profileId: profile.profileId,
        order: profile.order,
      };
    }
  }
  const existing = await idsOf(models.classificationGroups as unknown as Model<{ _id: string }>, {
    database: spec.database,
    classificationSchemeId: spec.id,
  });
  const written = await insertMissing(models.classificationGroups, existing, members());
  if (written.inserted)
    await models.classificationSchemes.updateOne(
      { database: spec.database, id: spec.id },
      { $set: { version: Date.now() } },
    );
  return { profiles: profiles.length, groups: new Set(clusterGroup.values()).size, inserted: written.inserted };
}
