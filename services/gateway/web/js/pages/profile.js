// "My answers": the projects (choose the one the diagnosis, advice and plan show, add one, delete one),
// then every answer of the questionnaire for the chosen project, each with a link to change it.

import { autocompleteField } from '../autocomplete.js';
import { h, replace, uid } from '../dom.js';
import { formAlert, localError, onSubmit } from '../forms.js';
import { t } from '../i18n.js';
import { addProject, chooseProject, chosenProject, deleteProject, loadProfile } from '../profile-store.js';
import { title } from '../ui.js';
import { answersOf, answerText, STEPS } from './onboarding.js';

const MAX_PROJECTS = 5; // the profile service's limit (409 too_many_projects beyond)

function projectName(project) {
  return project.job_title
    ? t('profile.project-name', { job: project.job_title, city: project.city_name || t('profile.no-city') })
    : t('profile.project-unnamed');
}

function projectCard(ctx, project, chosen, status) {
  const headingId = uid('project');
  const confirmBox = h('div', { hidden: true });
  const opener = h('button', { type: 'button', class: 'button link small', 'aria-expanded': 'false', 'aria-describedby': headingId,
    on: { click: () => {
      confirmBox.hidden = false;
      opener.setAttribute('aria-expanded', 'true');
      confirmBox.querySelector('button.secondary').focus(); // the safe choice first
    } } }, t('profile.project-delete'));
  confirmBox.append(
    h('p', { class: 'alert' }, t('profile.project-delete-warning', { project: projectName(project) })),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button danger small', on: { click: async (event) => {
        event.target.disabled = true;
        try {
          await deleteProject(project.project_id);
          ctx.rerender();
        } catch (error) {
          event.target.disabled = false;
          replace(status, h('p', { class: 'alert', role: 'alert' }, error.text ? error.text() : t('error.generic')));
        }
      } } }, t('profile.project-delete-confirm')),
      h('button', { type: 'button', class: 'button secondary small', on: { click: () => {
        confirmBox.hidden = true;
        opener.setAttribute('aria-expanded', 'false');
        opener.focus();
      } } }, t('action.cancel'))));
  return h('li', { class: chosen ? 'card current' : 'card' },
    h('h3', { id: headingId }, projectName(project)),
    chosen
      ? h('p', { class: 'meta' }, h('strong', {}, t('profile.project-shown')))
      : h('p', {}, h('button', { type: 'button', class: 'button secondary small', 'aria-describedby': headingId,
        on: { click: () => {
          chooseProject(project.project_id);
          ctx.rerender();
        } } }, t('profile.project-choose'))),
    h('p', {}, opener),
    confirmBox);
}

function newProjectForm(ctx) {
  const state = { job: null, city: null };
  const box = h('div', { hidden: true });
  const form = h('form', {},
    formAlert(),
    autocompleteField({ kind: 'job', name: 'job_code_ogr', label: t('onboarding.job.label'),
      onChoose: (item) => { state.job = item && { job_code_ogr: item.code_ogr }; } }),
    autocompleteField({ kind: 'city', name: 'city_insee', label: t('onboarding.city.label'),
      onChoose: (item) => { state.city = item && { city_insee: item.insee }; } }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, t('profile.project-add-save')),
      h('button', { type: 'button', class: 'button secondary', on: { click: () => {
        box.hidden = true;
        opener.setAttribute('aria-expanded', 'false');
        opener.focus();
      } } }, t('action.cancel'))));
  onSubmit(form, async () => {
    if (!state.job) throw localError('job_code_ogr', t('profile.project-pick-job'));
    if (!state.city) throw localError('city_insee', t('profile.project-pick-city'));
    await addProject({ ...state.job, ...state.city });
    // The other answers of the new project, question by question, then its diagnosis.
    ctx.navigate('/onboarding/kind');
  });
  box.append(form);
  const opener = h('button', { type: 'button', class: 'button secondary', 'aria-expanded': 'false', on: { click: () => {
    box.hidden = false;
    opener.setAttribute('aria-expanded', 'true');
    form.querySelector('input').focus();
  } } }, t('profile.project-add'));
  return [h('p', {}, opener), box];
}

function projectsSection(ctx, profile) {
  const headingId = uid('projects');
  const chosen = chosenProject(profile);
  const status = h('div', { 'aria-live': 'polite' });
  const projects = profile.projects || [];
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('profile.projects')),
    h('p', { class: 'meta' }, t('profile.projects-intro')),
    projects.length
      ? h('ul', { class: 'cards projects' }, projects.map((p) => projectCard(ctx, p, chosen && p.project_id === chosen.project_id, status)))
      : h('p', {}, t('profile.no-project')),
    status,
    projects.length < MAX_PROJECTS ? newProjectForm(ctx) : h('p', { class: 'meta' }, t('profile.projects-full', { count: MAX_PROJECTS })));
}

export async function render(ctx) {
  const profile = await loadProfile({ fresh: true });
  const chosen = chosenProject(profile);
  const answers = answersOf(profile);
  const steps = STEPS.filter((step) => !(step.skipIf && step.skipIf(answers)));
  const answersId = uid('answers');
  return h('div', {},
    title(t('profile.title'), t('profile.intro')),
    projectsSection(ctx, profile),
    h('section', { 'aria-labelledby': answersId },
      h('h2', { id: answersId }, chosen && (profile.projects || []).length > 1
        ? t('profile.answers-for', { project: projectName(chosen) }) : t('profile.answers')),
      h('dl', { class: 'answers' }, steps.map((step) => [
        h('dt', {}, t(`onboarding.${step.id}.question`)),
        h('dd', {}, answerText(step, answers), ' ',
          h('a', { href: `/onboarding/${step.id}?return=profile`, 'aria-label': t('profile.change-aria', { question: t(`onboarding.${step.id}.question`) }) }, t('profile.change'))),
      ]))),
    h('section', { class: 'card' },
      h('h2', {}, t('profile.sharing')),
      h('p', {}, t('profile.sharing-intro')),
      h('p', {}, h('a', { href: '/settings/counsellors' }, t('profile.sharing-link')))),
    h('p', { class: 'actions' }, h('a', { class: 'button', href: '/diagnosis' }, t('profile.to-diagnosis'))));
}
