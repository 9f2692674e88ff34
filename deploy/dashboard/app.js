// The dashboard page: polls /api/state and redraws. Plain browser JavaScript, no build step, no CDN.
'use strict';

const $ = (id) => document.getElementById(id);
const short = (s) => (s && s.length > 14 ? `${s.slice(0, 6)}…${s.slice(-6)}` : s || '');
const fmt = (x, digits = 4) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');
let names = new Map();

function text(tag, value, className) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (className) el.className = className;
  return el;
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      for (const cell of cells) tr.append(cell instanceof Node ? cell : text('td', String(cell)));
      return tr;
    }),
  );
}

function lossPlot(checkpoints) {
  const points = checkpoints.filter((c) => typeof c.validationLoss === 'number');
  const host = $('loss-plot');
  if (points.length === 0) {
    host.replaceChildren(text('p', 'no checkpoint with a validation loss yet', 'muted'));
    return;
  }
  const W = 900, H = 260, L = 60, R = 20, T = 24, B = 36;
  const xs = points.map((p) => p.window), ys = points.map((p) => p.validationLoss);
  let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  if (y1 - y0 < 1e-6) { y0 -= 0.05; y1 += 0.05; }
  const pad = (y1 - y0) * 0.08; y0 -= pad; y1 += pad;
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'validation loss per checkpoint window');
  const add = (tag, attrs, content) => {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (content !== undefined) el.textContent = content;
    svg.append(el);
    return el;
  };
  add('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#9aa3b2' });
  add('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#9aa3b2' });
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    add('line', { x1: L, y1: sy(y), x2: W - R, y2: sy(y), stroke: '#eef0f3' });
    add('text', { x: L - 6, y: sy(y) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6475' }, y.toFixed(3));
  }
  const ticks = Math.min(8, xs.length);
  for (let i = 0; i < ticks; i++) {
    const x = Math.round(x0 + ((x1 - x0) * i) / Math.max(1, ticks - 1));
    add('text', { x: sx(x), y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6475' }, String(x));
  }
  add('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 12, fill: '#5b6475' }, 'window');
  add('text', { x: 4, y: 12, 'font-size': 12, fill: '#5b6475' }, 'validation loss (nats/byte)');
  add('polyline', { points: points.map((p) => `${sx(p.window)},${sy(p.validationLoss)}`).join(' '), fill: 'none', stroke: '#2563eb', 'stroke-width': 2 });
  for (const p of points) {
    const c = add('circle', { cx: sx(p.window), cy: sy(p.validationLoss), r: 3.5, fill: '#2563eb', class: 'loss-point' });
    const title = document.createElementNS(ns, 'title');
    title.textContent = `window ${p.window}: ${p.validationLoss.toFixed(4)}`;
    c.append(title);
  }
  host.replaceChildren(svg);
}

function scores(validators) {
  const host = $('scores');
  const withData = validators.filter((v) => v.windows.length > 0);
  if (withData.length === 0) {
    host.replaceChildren(text('p', 'no validator reports yet', 'muted'));
    return;
  }
  const blocks = [];
  for (const v of withData) {
    const recent = v.windows.slice(-8);
    const miners = [...new Set(recent.flatMap((w) => w.miners.map((m) => m.hotkey)))];
    const table = document.createElement('table');
    table.className = 'scores';
    const head = document.createElement('tr');
    head.append(text('th', `${v.name}: miner`), ...recent.map((w) => text('th', `w${w.window} score / μ±σ`)));
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    fillRows(tbody, miners.map((hotkey) => [
      text('td', names.get(hotkey) || short(hotkey), 'mono'),
      ...recent.map((w) => {
        const m = w.miners.find((x) => x.hotkey === hotkey);
        if (!m) return '—';
        const rating = m.mu === null ? '' : ` / ${fmt(m.mu, 2)}±${fmt(m.sigma, 2)}`;
        return `${fmt(m.score, 4)}${rating}${m.verdict && m.verdict !== 'scored' ? ` (${m.verdict})` : ''}`;
      }),
    ]));
    table.append(thead, tbody);
    blocks.push(table);
  }
  host.replaceChildren(...blocks);
}

function rejections(validators) {
  const rows = [];
  for (const v of validators) {
    const totals = {};
    for (const w of v.windows) for (const [reason, n] of Object.entries(w.rejected)) totals[reason] = (totals[reason] || 0) + n;
    for (const [reason, n] of Object.entries(totals).sort((a, b) => b[1] - a[1])) rows.push([v.name, reason, n]);
  }
  fillRows($('rejections').querySelector('tbody'), rows.length ? rows : [['—', 'none yet', 0]]);
}

function render(state) {
  names = new Map(state.neurons.filter((n) => n.name).map((n) => [n.hotkey, n.name]));
  $('subnet').textContent = `subnet ${state.netuid}`;
  $('block').textContent = String(state.block);
  $('window').textContent = String(state.window);
  $('bpw').textContent = String(state.blocksPerWindow);
  $('aggregator').textContent = state.aggregator ? `uid ${state.aggregator.uid} ${names.get(state.aggregator.hotkey) || short(state.aggregator.hotkey)}` : 'none yet';
  const last = [...state.checkpoints].reverse().find((c) => typeof c.validationLoss === 'number');
  $('latest-loss').textContent = last ? `${last.validationLoss.toFixed(4)} (w${last.window})` : '—';
  $('updated').textContent = new Date(state.updatedAt).toLocaleTimeString();
  fillRows($('neurons').querySelector('tbody'), state.neurons.map((n) => [
    n.uid, n.name || '', text('td', short(n.hotkey), 'mono'), fmt(n.stake, 3), text('td', n.validatorPermit ? 'yes' : 'no', n.validatorPermit ? 'yes' : ''),
    fmt(n.incentive), fmt(n.dividends), fmt(n.emission, 6), n.lastUpdate,
  ]));
  fillRows($('checkpoints').querySelector('tbody'), [...state.checkpoints].reverse().map((c) => [
    c.window, c.parentWindow === null ? 'genesis' : c.parentWindow, fmt(c.validationLoss), c.contributors, c.signerName || short(c.signer), text('td', short(c.paramsHash), 'mono'),
  ]));
  lossPlot(state.checkpoints);
  scores(state.validators);
  rejections(state.validators);
  const select = $('stake-hotkey');
  const wanted = state.neurons.map((n) => n.hotkey).join();
  if (select.dataset.keys !== wanted) {
    const chosen = select.value;
    select.replaceChildren(...state.neurons.map((n) => {
      const o = text('option', `uid ${n.uid} ${n.name || short(n.hotkey)}`);
      o.value = n.hotkey;
      return o;
    }));
    if (chosen) select.value = chosen;
    select.dataset.keys = wanted;
  }
  const processes = state.processes || [];
  $('processes-section').hidden = processes.length === 0;
  fillRows($('processes').querySelector('tbody'), processes.map((p) => [
    p.name, p.pid, text('td', p.alive ? p.status : p.status === 'restarting' ? 'restarting' : 'down', p.alive ? 'yes' : ''), p.restarts,
    p.lastExit || '', p.lastRestartAt ? new Date(p.lastRestartAt).toLocaleTimeString() : '',
  ]));
  $('errors-section').hidden = state.errors.length === 0;
  $('errors').replaceChildren(...state.errors.map((e) => text('li', e)));
}

async function poll() {
  try {
    const response = await fetch('/api/state', { cache: 'no-store' });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    render(body);
    $('status').textContent = '';
  } catch (error) {
    $('status').textContent = `waiting for the subnet: ${error.message}`;
  } finally {
    setTimeout(poll, 1000);
  }
}

$('stake-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('stake-result').textContent = 'submitting…';
  try {
    const response = await fetch('/api/stake', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: form.get('account'), hotkey: form.get('hotkey'), amountTao: Number(form.get('amountTao')) }),
    });
    const body = await response.json();
    $('stake-result').textContent = response.ok ? `included in block ${body.block}` : `refused: ${body.error}`;
  } catch (error) {
    $('stake-result').textContent = `failed: ${error.message}`;
  }
});

poll();
