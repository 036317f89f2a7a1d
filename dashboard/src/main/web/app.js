// The dashboard: every few seconds asks the query API for the chosen range and redraws the chart and
// tables. A 401 asks for the token (kept in localStorage); a 503 (starting or rebalancing) says so and
// retries after the server's Retry-After; any other error is shown beside the panel it broke.
import './app.css';
import { ApiError, getJson, saveToken, savedToken } from './api.js';
import { DropsChart } from './chart.js';
import * as fmt from './format.js';
import * as tables from './tables.js';

const REFRESH_SECONDS = 5;
const RANGES = ['15m', '1h', '6h', '24h', '7d'];
// The 1-minute store keeps a day; longer ranges are read from the 1-hour windows.
const resolutionOf = (range) => (range === '7d' ? '1h' : '1m');

const state = { range: rangeFromHash(), paused: false, timer: null, running: false, again: false };
const chart = new DropsChart(document.getElementById('drops-chart'));

function rangeFromHash() {
  const wanted = new URLSearchParams(location.hash.slice(1)).get('range');
  return RANGES.includes(wanted) ? wanted : '1h';
}

// Each panel: its API call and how its answer is drawn. The error element is `${id}-error`.
function panels() {
  const resolution = resolutionOf(state.range);
  const ranged = { since: state.range, resolution };
  return [
    { id: 'drops', load: () => getJson('api/v1/drops', { ...ranged, group: 'prefix' }), draw: drawDrops },
    { id: 'top-ports', load: () => getJson('api/v1/top/ports', { ...ranged, limit: 10 }),
      draw: (a) => tables.top('top-ports', a, 'No logged packets in this range.') },
    { id: 'top-sources', load: () => getJson('api/v1/top/sources', { ...ranged, limit: 10 }),
      draw: (a) => {
        tables.top('top-sources', a, 'No sources in this range.', { bytes: false });
        document.getElementById('top-sources-note').hidden = !a.approximate;
      } },
    { id: 'reasons', load: () => getJson('api/v1/reasons', ranged), draw: tables.reasons },
    { id: 'table-full', load: () => getJson('api/v1/table-full', ranged), draw: tables.tableFull },
    { id: 'hosts', load: () => getJson('api/v1/hosts'), draw: tables.hosts },
    { id: 'invalid', load: () => getJson('api/v1/invalid', { limit: 20 }), draw: tables.invalid },
  ];
}

function drawDrops(answer) {
  const stepSeconds = answer.resolution === '1h' ? 3600 : 60;
  document.getElementById('drops-unit').textContent = stepSeconds === 3600 ? 'hour' : 'minute';
  chart.update(answer, stepSeconds);
  const totals = answer.totals ?? {};
  document.getElementById('drops-total').textContent =
    `${fmt.count(totals.packets ?? 0)} packets logged from ${fmt.count(totals.distinctSources ?? 0)} sources `
    + `on ${fmt.count(totals.distinctHosts ?? 0)} hosts; each prefix names the rule that logged them and what it did.`;
}

function showError(id, message) {
  const element = document.getElementById(`${id}-error`);
  element.textContent = message ?? '';
  element.hidden = !message;
}

async function refresh() {
  if (state.running) {
    // A range picked while answers are on their way: asked again as soon as they are in.
    state.again = true;
    return;
  }
  state.running = true;
  clearTimeout(state.timer);
  const results = await Promise.all(panels().map(async (panel) => {
    try {
      panel.draw(await panel.load());
      showError(panel.id, null);
      return null;
    } catch (e) {
      if (!(e instanceof ApiError)) {
        console.error(`panel ${panel.id}`, e);
        showError(panel.id, `This panel could not be drawn (${e.message}).`);
        return new ApiError(-1, e.message, REFRESH_SECONDS);
      }
      // 401 and 503 concern the whole server: said once, at the top, not in every panel.
      showError(panel.id, e.status === 401 || e.status === 503 ? null : e.message);
      return e;
    }
  }));
  state.running = false;
  if (state.again) {
    state.again = false;
    refresh();
    return;
  }
  const errors = results.filter((e) => e !== null);
  const unauthorized = errors.find((e) => e.status === 401);
  const unavailable = errors.find((e) => e.status === 503 || e.status === 0);
  let next = REFRESH_SECONDS;
  if (unauthorized) {
    setStatus('The server needs a token.', 'error');
    askForToken(unauthorized.message);
    return;
  }
  if (unavailable) {
    next = unavailable.retryAfterSeconds;
    setStatus(unavailable.status === 503
      ? `Rebalancing, retrying in ${next} s… (${unavailable.message})`
      : `${unavailable.message} Retrying in ${next} s…`, 'warn');
  } else {
    const failed = errors.length === 0 ? '' : ` ${errors.length} panel(s) failed.`;
    setStatus(`Updated ${new Date().toLocaleTimeString()} · last ${state.range}${state.paused ? ' · paused' : ''}.${failed}`,
      errors.length === 0 ? 'ok' : 'error');
  }
  // A 503 is retried even while paused: the page would otherwise stay empty.
  if (!state.paused || unavailable) {
    state.timer = setTimeout(refresh, next * 1000);
  }
}

function setStatus(text, kind) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.dataset.kind = kind;
}

function askForToken(serverSentence) {
  const dialog = document.getElementById('token-dialog');
  const refused = document.getElementById('token-refused');
  refused.textContent = savedToken() ? `The saved token was refused: ${serverSentence}` : '';
  refused.hidden = !savedToken();
  if (!dialog.open) {
    document.getElementById('token-input').value = savedToken();
    dialog.showModal();
  }
}

document.getElementById('token-form').addEventListener('submit', () => {
  saveToken(document.getElementById('token-input').value.trim());
  refresh();
});

document.getElementById('range').addEventListener('change', (event) => {
  state.range = event.target.value;
  history.replaceState(null, '', `#range=${state.range}`);
  refresh();
});

document.getElementById('refresh-toggle').addEventListener('click', (event) => {
  state.paused = !state.paused;
  event.currentTarget.setAttribute('aria-pressed', String(state.paused));
  event.currentTarget.textContent = state.paused ? 'Resume auto-refresh' : 'Pause auto-refresh';
  if (state.paused) {
    clearTimeout(state.timer);
    setStatus(`Paused · last ${state.range}.`, 'ok');
  } else {
    refresh();
  }
});

document.querySelector(`#range input[value="${state.range}"]`).checked = true;
refresh();
