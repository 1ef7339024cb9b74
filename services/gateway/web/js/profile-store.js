// The person's profile as last read, and the one way to change it: every write sends the revision
// it is based on; when someone (another tab, another device) changed the profile meanwhile, the
// server answers 409 stale_revision, and the change is applied again on the fresh profile.
// A person may have several projects: the one they chose in "my answers" is the one the diagnosis,
// the advice, the plan and the questionnaire show (the first by default).

import { ApiError, del, get, patch, post } from './api.js';

let cached = null;
// The chosen project's id, with whose it is (so that another person on the device starts with their
// first project). Kept on the device: it names no one, and it is forgotten at logout.
const CHOICE_KEY = 'coach.project';
let choiceInMemory = null;

function readChoice() {
  try { return JSON.parse(localStorage.getItem(CHOICE_KEY) || 'null'); } catch { return choiceInMemory; }
}

function writeChoice(choice) {
  choiceInMemory = choice;
  try {
    if (choice) localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
    else localStorage.removeItem(CHOICE_KEY);
  } catch { /* kept in memory for this page */ }
}

/** Return the profile (read once, then from memory unless fresh is asked). */
export async function loadProfile({ fresh = false } = {}) {
  if (!cached || fresh) cached = await get('/v1/me/profile');
  return cached;
}

/** Return the profile in memory (null before the first load). */
export function currentProfile() { return cached; }

/** Forget the profile and the chosen project (logout, account deleted). */
export function forgetProfile() {
  cached = null;
  writeChoice(null);
}

let saving = 0; // saves of this page on their way: their live event may come before their answer

/** Return true while this page is saving the profile. */
export function savingHere() { return saving > 0; }

async function withRevision(write) {
  saving += 1;
  try {
    const profile = await loadProfile();
    try {
      cached = await write(profile);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'stale_revision') throw error;
      cached = await write(await loadProfile({ fresh: true }));
    }
    return cached;
  } finally {
    saving -= 1;
  }
}

/** Save personal answers and/or preferences: {profile: {...}, preferences: {...}}. */
export function saveProfile(changes) {
  return withRevision((p) => patch('/v1/me/profile', { revision: p.revision, ...changes }));
}

/** Save answers about the chosen project, creating it on the first answer. */
export function saveProject(project) {
  return withRevision((p) => {
    const chosen = chosenProject(p);
    if (!chosen) return post('/v1/me/projects', { revision: p.revision, project });
    return patch(`/v1/me/projects/${chosen.project_id}`, { revision: p.revision, project });
  });
}

/** Add a project and choose it; return the profile. */
export async function addProject(project) {
  const before = new Set(((await loadProfile()).projects || []).map((p) => p.project_id));
  const saved = await withRevision((p) => post('/v1/me/projects', { revision: p.revision, project }));
  const added = saved.projects.find((p) => !before.has(p.project_id));
  if (added) chooseProject(added.project_id);
  return saved;
}

/** Delete a project (the first one left is chosen when it was the chosen one); return the profile. */
export function deleteProject(projectId) {
  return withRevision((p) => del(`/v1/me/projects/${encodeURIComponent(projectId)}`, { revision: p.revision }));
}

/** Choose the project the diagnosis, the advice and the plan show. */
export function chooseProject(projectId) {
  writeChoice(cached ? { user: cached.user_id || null, project: projectId } : { user: null, project: projectId });
}

/** Return the project the person chose (the first one by default), or null when they have none. */
export function chosenProject(profile = cached) {
  const projects = (profile && profile.projects) || [];
  const choice = readChoice();
  const mine = choice && (!choice.user || !profile || !profile.user_id || choice.user === profile.user_id);
  return (mine && projects.find((p) => p.project_id === choice.project)) || projects[0] || null;
}

/** Return the project the screens show: the chosen one (the name stays for the screens that call it). */
export function firstProject(profile = cached) {
  return chosenProject(profile);
}
