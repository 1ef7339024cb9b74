// The person's profile as last read, and the one way to change it: every write sends the revision
// it is based on; when someone (another tab, another device) changed the profile meanwhile, the
// server answers 409 stale_revision, and the change is applied again on the fresh profile.

import { ApiError, get, patch, post } from './api.js';

let cached = null;

/** Return the profile (read once, then from memory unless fresh is asked). */
export async function loadProfile({ fresh = false } = {}) {
  if (!cached || fresh) cached = await get('/v1/me/profile');
  return cached;
}

/** Return the profile in memory (null before the first load). */
export function currentProfile() { return cached; }

/** Forget the profile (logout, account deleted). */
export function forgetProfile() { cached = null; }

async function withRevision(write) {
  const profile = await loadProfile();
  try {
    cached = await write(profile);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'stale_revision') throw error;
    cached = await write(await loadProfile({ fresh: true }));
  }
  return cached;
}

/** Save personal answers and/or preferences: {profile: {...}, preferences: {...}}. */
export function saveProfile(changes) {
  return withRevision((p) => patch('/v1/me/profile', { revision: p.revision, ...changes }));
}

/** Save answers about the first project, creating it on the first answer. */
export function saveProject(project) {
  return withRevision((p) => {
    const first = p.projects[0];
    if (!first) return post('/v1/me/projects', { revision: p.revision, project });
    return patch(`/v1/me/projects/${first.project_id}`, { revision: p.revision, project });
  });
}

/** Return the person's first project, or null. */
export function firstProject(profile = cached) {
  return (profile && profile.projects && profile.projects[0]) || null;
}
