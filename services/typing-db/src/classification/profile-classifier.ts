import { Injectable } from '@nestjs/common';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { SchemesRepository } from '../schemes/schemes.repository';
import { ClassificationRepository } from './classification.repository';
import { type ClassificationGroupMember, groupMemberKey } from './classification.schema';

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

/** Builds classification schemes (`npm run typing -- classify`). */
@Injectable()
export class ProfileClassifier {
  constructor(
    private readonly classification: ClassificationRepository,
    private readonly schemes: SchemesRepository,
    private readonly profiles: ProfilesRepository,
  ) {}

  /**
   * A classification scheme as BIGSdb builds them: single-linkage clusters of a scheme's profiles, two profiles
   * linked when they differ at no more than `threshold` loci. Two profiles differ at ≤ t loci exactly when masking
   * some t loci makes them equal, so every profile is hashed once per set of t masked loci and profiles sharing a
   * hash are joined: no all-pairs comparison. Group ids are stable: a profile classified before keeps its group, and
   * a new profile joins the group of a classified profile it links to, or a new group.
   */
  async classify(spec: ClassificationSpec): Promise<{ profiles: number; groups: number; inserted: number }> {
    const scheme = await this.schemes.find(spec.database, spec.schemeId);
    if (!scheme) throw new Error(`scheme ${spec.schemeId} does not exist in ${spec.database}`);
    if (!Number.isInteger(spec.threshold) || spec.threshold < 0 || spec.threshold >= scheme.loci.length)
      throw new Error(`--threshold must be 0 to ${scheme.loci.length - 1}`);
    const existingScheme = await this.classification.find(spec.database, spec.id);
    if (
      existingScheme &&
      (existingScheme.schemeId !== spec.schemeId || existingScheme.inclusionThreshold !== spec.threshold)
    ) {
      throw new Error(
        `classification scheme ${spec.id} already exists for scheme ${existingScheme.schemeId} at threshold ${existingScheme.inclusionThreshold}`,
      );
    }
    await this.classification.save(spec.database, spec.id, {
      schemeId: spec.schemeId,
      name: spec.name,
      description: spec.description,
      inclusionThreshold: spec.threshold,
    });
    const profiles = await this.profiles.allelesInOrder(spec.database, spec.schemeId);
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
    const assigned = await this.classification.assignedGroups(spec.database, spec.id);
    const clusterGroup = new Map<number, number>();
    profiles.forEach((profile, i) => {
      const group = assigned.get(profile.profileId);
      const root = find(i);
      if (group !== undefined && (clusterGroup.get(root) ?? Infinity) > group) clusterGroup.set(root, group);
    });
    let nextGroup = Math.max(0, ...assigned.values()) + 1;
    function* members(): Generator<ClassificationGroupMember> {
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
    const written = await this.classification.addMissing(spec.database, spec.id, members());
    if (written.inserted) await this.classification.membersAdded(spec.database, spec.id);
    return { profiles: profiles.length, groups: new Set(clusterGroup.values()).size, inserted: written.inserted };
  }
}
