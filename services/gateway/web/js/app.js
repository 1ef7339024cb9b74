// The client's entry point: texts, session, the frame of the page (header, menu, footer) and a
// tiny router over the History API. Each screen is a module in pages/ with a render(ctx) function
// that returns a DOM node. A screen that shows the person's answers is redrawn when they are saved
// elsewhere (another tab, another device): the live event profile-saved says so.

import { ApiError, post } from './api.js';
import { announce, h, replace } from './dom.js';
import { initialLocale, locale, LOCALES, onLocaleChange, setLocale, t } from './i18n.js';
import { listen, stopAll } from './live.js';
import { chosenProject, currentProfile, forgetProfile, loadProfile, saveProfile, savingHere } from './profile-store.js';
import { match } from './routes.js';
import {
  accessToken, clear, current, isGuest, maybeLoggedIn, onSessionChange, onSessionEndedElsewhere, refreshToken,
} from './session.js';

const main = document.getElementById('main');
let renderCount = 0;
let leaving = [];
let firstRender = true;

/** Go to a path of the client (pushes history unless replace). */
export function navigate(path, { replace: replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

/** Return the path of the person's home screen, by role and progress. */
export async function homePath() {
  const who = current();
  if (!who) return '/';
  if (who.role === 'counsellor') return '/counsellor';
  if (who.role === 'volunteer') return '/volunteer';
  try {
    const project = chosenProject(await loadProfile());
    return project && project.rome_code && project.city_insee ? '/diagnosis' : '/onboarding';
  } catch {
    return '/diagnosis';
  }
}

/** Go to the person's home screen (after login, sign-up...), or to ?next= when it is a client path. */
export async function goHome(next) {
  const safe = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/v1') ? next : null;
  navigate(safe || (await homePath()), { replace: true });
}

/**
 * End the session here and on the server. A guest is asked first (/guest/leave): without an address,
 * logging out loses everything, and they may prefer to keep their answers.
 */
export async function logOut({ confirmed = false } = {}) {
  if (!confirmed && isGuest()) {
    navigate('/guest/leave');
    return;
  }
  const token = refreshToken();
  stopAll();
  clear();
  forgetProfile();
  if (token) {
    try { await post('/v1/auth/logout', { refresh_token: token }, { auth: false }); } catch { /* already gone */ }
  }
  navigate('/', { replace: true });
}

/** Change the language; a logged-in person's choice is also saved in their preferences (emails follow). */
export async function changeLocale(next) {
  await setLocale(next);
  if (current()) {
    try { await saveProfile({ preferences: { locale: next } }); } catch { /* the screen still changes */ }
  }
}

function allowed(access, who) {
  if (access === 'public') return true;
  if (access === 'anonymous') return !who;
  if (access === 'user') return Boolean(who);
  return Boolean(who) && who.role === access;
}

function errorView(error, retry) {
  const message = error instanceof ApiError ? error.text() : t('error.generic');
  // Offline (or the service out of reach): the person is still logged in; their data comes back with the network.
  const offline = error instanceof ApiError && error.status === 0;
  return h('div', {},
    h('h1', { tabindex: '-1' }, t(offline ? 'offline.title' : 'error.title')),
    h('p', { class: 'alert', role: 'alert' }, message),
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button', on: { click: retry } }, t('action.retry')),
      h('a', { class: 'button secondary', href: '/' }, t('nav.home'))));
}

function notFound() {
  return h('div', {},
    h('h1', { tabindex: '-1' }, t('notfound.title')),
    h('p', {}, t('notfound.text')),
    h('p', {}, h('a', { class: 'button', href: '/' }, t('nav.home'))));
}

function show(node, token, { quiet = false } = {}) {
  if (token !== renderCount) return;
  const hadFocus = main.contains(document.activeElement);
  replace(main, node);
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} — ${t('app.name')}` : t('app.name');
  updateNav();
  if (quiet) {
    // Redrawn for a change made elsewhere: the page stays where it is; the focus, lost with the old
    // content, goes to the heading rather than to the top of the document.
    if (hadFocus && heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  } else if (!firstRender) {
    window.scrollTo(0, 0);
    // Moving the focus to the new heading tells screen-reader users that the page changed.
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }
  firstRender = false;
}

/** Draw the screen of the current URL (quiet: a redraw for a change made elsewhere, no scroll). */
export async function render({ quiet = false } = {}) {
  renderCount += 1;
  const token = renderCount;
  leaving.forEach((fn) => fn());
  leaving = [];
  const found = match(location.pathname);
  if (!found) { show(notFound(), token); return; }
  const { route, params } = found;
  if (route.redirect) { navigate(route.redirect, { replace: true }); return; }
  if (!current() && maybeLoggedIn()) await accessToken(); // a reload: learn who from the refresh token
  const who = current();
  if (!allowed(route.access, who)) {
    if (!who) navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    else navigate(await homePath(), { replace: true });
    return;
  }
  main.setAttribute('aria-busy', 'true');
  const ctx = {
    view: route.view,
    params,
    query: new URLSearchParams(location.search),
    hash: location.hash.slice(1),
    navigate,
    rerender: render,
    onLeave: (fn) => leaving.push(fn),
    stale: () => token !== renderCount,
  };
  try {
    const module = await route.load();
    show(await module.render(ctx), token, { quiet });
    if (route.follows === 'profile' && token === renderCount) followSaves(ctx);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      clear();
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
      return;
    }
    if (!(error instanceof ApiError && error.status === 0)) console.error(error); // offline is no bug
    show(errorView(error, render), token);
  } finally {
    if (token === renderCount) main.removeAttribute('aria-busy');
  }
}

// A save made elsewhere (another tab, another device): the screens showing the answers are redrawn.
// This tab's own saves already updated the profile in memory, so they change nothing here.
function followSaves(ctx) {
  const saved = (event) => {
    if (ctx.stale()) return;
    // A save of this page: its event may arrive before its answer; judge once the answer is in.
    if (savingHere()) { setTimeout(() => saved(event), 300); return; }
    const known = currentProfile();
    if (!known || !(Number(event.revision) > known.revision)) return;
    announce(t('live.saved-elsewhere'));
    render({ quiet: true });
  };
  ctx.onLeave(listen('profile-saved', saved));
}

// --- The frame: header with the menu, footer with the language ----------------------------------

const NAV = {
  'job-seeker': [['/diagnosis', 'nav.diagnosis'], ['/advice', 'nav.advice'], ['/plan', 'nav.plan'], ['/market', 'nav.market'],
    ['/help', 'nav.help'], ['/profile', 'nav.profile'], ['/settings', 'nav.settings']],
  counsellor: [['/counsellor', 'nav.people'], ['/settings', 'nav.settings']],
  volunteer: [['/volunteer', 'nav.pledge'], ['/volunteer/matches', 'nav.matches'], ['/settings', 'nav.settings']],
  anonymous: [['/login', 'nav.login'], ['/signup', 'nav.signup'], ['/volunteers/join', 'nav.volunteer']],
};

function drawHeader() {
  const header = document.getElementById('site-header');
  const who = current();
  const links = NAV[who ? who.role : 'anonymous'] || NAV.anonymous;
  const navId = 'site-nav';
  const nav = h('nav', { class: 'site-nav', id: navId, 'aria-label': t('nav.label'), hidden: true },
    h('ul', {},
      links.map(([href, key]) => h('li', {}, h('a', { href }, t(key)))),
      who && h('li', {}, h('button', { type: 'button', class: 'nav-button', on: { click: logOut } }, t('nav.logout')))));
  const button = h('button', {
    type: 'button', class: 'menu-button', 'aria-expanded': 'false', 'aria-controls': navId,
    on: {
      click: () => {
        const open = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(open));
        nav.hidden = !open;
      },
    },
  }, t('nav.menu'));
  replace(header,
    h('a', { class: 'brand', href: '/' },
      h('img', { src: new URL('../icons/icon.svg', import.meta.url).href, alt: '', width: 32, height: 32 }),
      h('span', {}, t('app.name'))),
    button,
    nav,
    // A guest can keep their answers at any time: a line, always there, that never interrupts.
    who && who.guest && h('p', { class: 'header-line' }, t('guest.bar'), ' ', h('a', { href: '/guest/keep' }, t('guest.keep-link'))),
    h('p', { class: 'header-line', id: 'offline-line', hidden: navigator.onLine }, t('offline.line')));
  updateNav();
}

// Offline, the app still opens (service worker) and knows who is logged in; the data comes back
// with the network.
window.addEventListener('offline', () => {
  const line = document.getElementById('offline-line');
  if (line) line.hidden = false;
  announce(t('offline.line'));
});
window.addEventListener('online', () => {
  const line = document.getElementById('offline-line');
  if (line) line.hidden = true;
  announce(t('offline.back'));
  render({ quiet: true });
});

function updateNav() {
  document.querySelectorAll('.site-nav a[href]').forEach((a) => {
    const here = location.pathname === a.getAttribute('href') || location.pathname.startsWith(`${a.getAttribute('href')}/`);
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  // After a choice in the menu, close it (on a phone it covers the page).
  const button = document.querySelector('.menu-button');
  const nav = document.getElementById('site-nav');
  if (button && nav && getComputedStyle(button).display !== 'none') {
    button.setAttribute('aria-expanded', 'false');
    nav.hidden = true;
  }
}

function drawFooter() {
  const footer = document.getElementById('site-footer');
  const select = h('select', { id: 'language', on: { change: (e) => changeLocale(e.target.value) } },
    LOCALES.map((code) => h('option', { value: code, selected: code === locale() }, t(`locale.${code}`))));
  replace(footer,
    h('div', { class: 'lang-switch' }, h('label', { for: 'language' }, t('footer.language')), select),
    h('p', { class: 'meta' }, t('footer.free')));
  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = t('nav.skip');
}

// Links inside the client move without reloading the page.
document.addEventListener('click', (event) => {
  const a = event.target.closest('a[href]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.pathname.startsWith('/v1/') || a.pathname.startsWith('/docs')) return;
  if (a.pathname === location.pathname && a.search === location.search && a.hash) return; // same-page anchor
  event.preventDefault();
  navigate(a.pathname + a.search + a.hash);
});
window.addEventListener('popstate', render);

async function boot() {
  await setLocale(initialLocale());
  if (maybeLoggedIn()) {
    await accessToken();
    // Texts follow the person's saved language choice.
    const who = current();
    if (who) {
      try {
        const saved = (await loadProfile()).preferences.locale;
        if (saved && saved !== locale()) await setLocale(saved);
      } catch { /* keep the current language */ }
    }
  }
  onLocaleChange(() => { drawHeader(); drawFooter(); render(); });
  onSessionChange(() => drawHeader());
  // Logged out in another tab (a guest's session is shared by the tabs): this one follows.
  onSessionEndedElsewhere(() => render());
  drawHeader();
  drawFooter();
  await render();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* the site works without it */ });
  }
}

boot();
