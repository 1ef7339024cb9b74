// Every screen of the client: its path, who may see it, and the module that draws it (loaded when
// first needed, so a phone downloads only what it shows). The gateway answers each first path
// segment listed here with the page (services/gateway/routes/web.py, CLIENT_SECTIONS).
//
// access: 'public' (anyone), 'anonymous' (people not logged in; others go to their home),
// 'user' (any account), or a role: 'job-seeker', 'counsellor', 'volunteer'.
// follows: 'profile' — the screen shows the person's answers: it is redrawn when they are saved
// elsewhere (another tab, another device).

const page = {
  welcome: () => import('./pages/welcome.js'),
  auth: () => import('./pages/auth.js'),
  links: () => import('./pages/links.js'),
  onboarding: () => import('./pages/onboarding.js'),
  diagnosis: () => import('./pages/diagnosis.js'),
  advice: () => import('./pages/advice.js'),
  plan: () => import('./pages/plan.js'),
  market: () => import('./pages/market.js'),
  settings: () => import('./pages/settings.js'),
  help: () => import('./pages/help.js'),
  volunteer: () => import('./pages/volunteer.js'),
  counsellor: () => import('./pages/counsellor.js'),
  emails: () => import('./pages/emails.js'),
  profile: () => import('./pages/profile.js'),
  guest: () => import('./pages/guest.js'),
};

export const ROUTES = [
  { path: '/', load: page.welcome, view: 'welcome', access: 'anonymous' },
  { path: '/welcome', load: page.welcome, view: 'welcome', access: 'public' },
  { path: '/signup', load: page.auth, view: 'signup', access: 'anonymous' },
  { path: '/login', load: page.auth, view: 'login', access: 'anonymous' },
  { path: '/login/link', load: page.auth, view: 'login-link', access: 'anonymous' },
  { path: '/login/forgotten', load: page.auth, view: 'forgotten', access: 'anonymous' },
  { path: '/guest', load: page.auth, view: 'guest', access: 'anonymous' },
  { path: '/guest/keep', load: page.guest, view: 'keep', access: 'job-seeker' },
  { path: '/guest/leave', load: page.guest, view: 'leave', access: 'user' },
  { path: '/link/login', load: page.links, view: 'login', access: 'public' },
  { path: '/link/reset-password', load: page.links, view: 'reset-password', access: 'public' },
  { path: '/link/confirm-email', load: page.links, view: 'confirm-email', access: 'public' },
  { path: '/link/counsellor', load: page.links, view: 'counsellor', access: 'public' },
  { path: '/link/volunteer-confirm', load: page.links, view: 'volunteer-confirm', access: 'public' },
  { path: '/onboarding', load: page.onboarding, view: 'start', access: 'job-seeker' },
  { path: '/onboarding/:step', load: page.onboarding, view: 'step', access: 'job-seeker' },
  { path: '/profile', load: page.profile, view: 'summary', access: 'job-seeker', follows: 'profile' },
  { path: '/diagnosis', load: page.diagnosis, view: 'diagnosis', access: 'job-seeker', follows: 'profile' },
  { path: '/advice', load: page.advice, view: 'list', access: 'job-seeker' },
  { path: '/advice/:id', load: page.advice, view: 'one', access: 'job-seeker' },
  { path: '/plan', load: page.plan, view: 'plan', access: 'job-seeker' },
  { path: '/market', load: page.market, view: 'mine', access: 'job-seeker' },
  { path: '/market/:rome/:departement', load: page.market, view: 'other', access: 'user' },
  { path: '/settings', load: page.settings, view: 'settings', access: 'user' },
  { path: '/settings/counsellors', load: page.counsellor, view: 'sharing', access: 'job-seeker' },
  { path: '/help', load: page.help, view: 'list', access: 'job-seeker' },
  { path: '/help/new', load: page.help, view: 'new', access: 'job-seeker' },
  { path: '/help/:id', load: page.help, view: 'one', access: 'job-seeker' },
  { path: '/help-requests', redirect: '/help' },
  { path: '/volunteers/join', load: page.volunteer, view: 'join', access: 'public' },
  { path: '/volunteer', load: page.volunteer, view: 'pledge', access: 'user' },
  { path: '/volunteer/matches', load: page.volunteer, view: 'matches', access: 'user' },
  { path: '/volunteer/matches/:id', load: page.volunteer, view: 'match', access: 'user' },
  { path: '/counsellor', load: page.counsellor, view: 'people', access: 'counsellor' },
  { path: '/counsellor/join', load: page.auth, view: 'signup-counsellor', access: 'anonymous' },
  { path: '/counsellor/people/:id', load: page.counsellor, view: 'person', access: 'counsellor' },
  { path: '/emails/unsubscribe', load: page.emails, view: 'unsubscribe', access: 'public' },
  { path: '/surveys/:kind', load: page.emails, view: 'survey', access: 'public' },
  { path: '/app', redirect: '/' },
];

/** Return the route matching a path and its parameters, or null. */
export function match(pathname) {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  for (const route of ROUTES) {
    const pattern = route.path === '/' ? [] : route.path.split('/').slice(1);
    if (pattern.length !== parts.length) continue;
    const params = {};
    const ok = pattern.every((piece, i) => {
      if (piece.startsWith(':')) {
        params[piece.slice(1)] = decodeURIComponent(parts[i]);
        return parts[i] !== '';
      }
      return piece === parts[i];
    });
    if (ok) return { route, params };
  }
  return null;
}
