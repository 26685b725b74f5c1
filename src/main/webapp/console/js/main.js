// The console's shell: sign-in, the section links, and a view per hash route (#/keys, #/logs?status=5xx).
// Each view module exports render(main, params), which may answer a function that stops it (timers, charts).
import {api, session} from './api.js';
import {failure, h} from './dom.js';

const VIEWS = {
  usage: () => import('./views/usage.js'),
  logs: () => import('./views/logs.js'),
  keys: () => import('./views/keys.js'),
  users: () => import('./views/users.js'),
  providers: () => import('./views/providers.js'),
  models: () => import('./views/models.js'),
  health: () => import('./views/health.js'),
};
const DEFAULT = 'usage';

const panel = document.getElementById('sign-in-panel');
const form = document.getElementById('sign-in');
const keyInput = document.getElementById('admin-key');
const errorLine = document.getElementById('sign-in-error');
const nav = document.getElementById('nav');
const signOut = document.getElementById('sign-out');
const main = document.getElementById('view');
let stopView = null;
let shown = 0;

function showSignIn(message = '') {
  stop();
  main.hidden = true;
  main.replaceChildren();
  nav.hidden = true;
  signOut.hidden = true;
  panel.hidden = false;
  errorLine.textContent = message;
  keyInput.value = '';
  keyInput.focus();
}

/** Why a key was not taken, in words a person at the sign-in form can act on. */
function refusal(error) {
  switch (error.status) {
    case 401: return 'That admin key was not accepted. Check it and try again.';
    case 403: return 'The admin API is turned off on this gateway: it has no admin key (TOLLGATE_ADMIN_KEY).';
    case 429: return `Too many failed attempts from this address. Try again in ${error.retryAfter || 60} seconds.`;
    case 0: return error.message;
    default: return `The gateway answered ${error.status}: ${error.message}`;
  }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) {
    errorLine.textContent = 'Enter the admin key.';
    keyInput.focus();
    return;
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  errorLine.textContent = '';
  try {
    await api('admin/users', {query: {limit: 1}, key});
    session.signIn(key);
    keyInput.value = '';
    enter();
  } catch (e) {
    errorLine.textContent = refusal(e);
    keyInput.select();
  } finally {
    button.disabled = false;
  }
});

signOut.addEventListener('click', () => {
  session.signOut();
  window.location.hash = '';
  showSignIn();
});

window.addEventListener('signed-out', () => {
  session.signOut();
  showSignIn('The admin key is no longer accepted. Sign in again.');
});

function enter() {
  panel.hidden = true;
  nav.hidden = false;
  signOut.hidden = false;
  main.hidden = false;
  route();
}

function parse(hash) {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const name = Object.hasOwn(VIEWS, path) ? path : DEFAULT;
  return {name, params: new URLSearchParams(query || '')};
}

function stop() {
  if (typeof stopView === 'function') stopView();
  stopView = null;
}

async function route() {
  if (!session.key()) {
    showSignIn();
    return;
  }
  const {name, params} = parse(window.location.hash);
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  stop();
  const mine = ++shown;
  main.replaceChildren(h('p', {class: 'hint'}, 'Loading…'));
  try {
    const view = await VIEWS[name]();
    if (mine !== shown) return;
    main.replaceChildren();
    stopView = await view.render(main, params);
    if (mine !== shown) stop();
    document.title = `${name[0].toUpperCase()}${name.slice(1)} · Tollgate console`;
    main.querySelector('h1')?.setAttribute('tabindex', '-1');
    main.querySelector('h1')?.focus({preventScroll: true});
  } catch (e) {
    if (mine === shown) main.replaceChildren(failure(e));
  }
}

window.addEventListener('hashchange', () => {
  if (session.key()) route();
});

if (session.key()) enter();
else showSignIn();
