// Fills the page's tables from API answers. Every row carries data-key (what the row is about) and every
// cell data-col (which column), so people and the browser test read the same thing.
import * as fmt from './format.js';

function cell(row, column, text, { numeric = false, value, datetime } = {}) {
  const td = document.createElement('td');
  td.dataset.col = column;
  if (numeric) {
    td.className = 'num';
  }
  if (value !== undefined) {
    td.dataset.value = String(value);
  }
  if (datetime) {
    const t = document.createElement('time');
    t.dateTime = datetime;
    t.textContent = text;
    td.append(t);
  } else {
    td.textContent = text;
  }
  row.append(td);
}

function fill(tableId, items, key, addCells, emptyText) {
  const body = document.getElementById(tableId).tBodies[0];
  const rows = items.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.key = key(item);
    addCells(tr, item);
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    tr.className = 'empty';
    const td = document.createElement('td');
    td.colSpan = document.getElementById(tableId).tHead.rows[0].cells.length;
    td.textContent = emptyText;
    tr.append(td);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
}

function instant(tr, column, value) {
  const d = fmt.toDate(value);
  cell(tr, column, fmt.time(value), d ? { datetime: d.toISOString() } : {});
}

// Sources are counted by a frequent-items sketch, which has packets but no bytes.
export function top(tableId, answer, emptyText, { bytes = true } = {}) {
  fill(tableId, answer.items ?? [], (i) => i.value, (tr, i) => {
    cell(tr, 'value', i.value === '-1' ? '(none)' : i.value);
    cell(tr, 'packets', fmt.count(i.packets), { numeric: true, value: i.packets });
    if (bytes) {
      cell(tr, 'bytes', fmt.count(i.bytes), { numeric: true, value: i.bytes });
    }
  }, emptyText);
}

export function reasons(answer) {
  fill('reasons', answer.items ?? [], (i) => `${i.host}|${i.kind}|${i.reason}`, (tr, i) => {
    cell(tr, 'host', i.host ?? '–');
    cell(tr, 'kind', i.kind ?? '–');
    cell(tr, 'reason', i.reason ?? '–');
    cell(tr, 'events', fmt.count(i.events), { numeric: true, value: i.events });
    instant(tr, 'lastSeen', i.lastSeen);
  }, 'No conntrack reasons in this range.');
}

export function tableFull(answer) {
  fill('table-full', answer.items ?? [], (i) => i.host, (tr, i) => {
    cell(tr, 'host', i.host ?? '–');
    cell(tr, 'events', fmt.count(i.events), { numeric: true, value: i.events });
    instant(tr, 'firstSeen', i.firstSeen);
    instant(tr, 'lastSeen', i.lastSeen);
  }, 'No table-full events in this range.');
}

export function hosts(answer) {
  fill('hosts', answer.items ?? [], (i) => i.host, (tr, i) => {
    cell(tr, 'host', i.host ?? '–');
    cell(tr, 'records', fmt.count(i.records), { numeric: true, value: i.records });
    instant(tr, 'lastSeen', i.lastSeen);
  }, 'No hosts seen yet.');
}

// An InvalidDrop as the API writes it: Avro field names, null fields left out.
function describePacket(drop) {
  const ip = drop.packet?.packet ?? drop.conntrack?.packet;
  if (!ip) {
    return '–';
  }
  const port = (p) => (p === undefined || p === null ? '' : `:${p}`);
  return `${ip.protocol ?? ip.protocolNumber ?? ''} ${ip.src}${port(ip.srcPort)} → ${ip.dst}${port(ip.dstPort)}`.trim();
}

export function invalid(answer) {
  fill('invalid', answer.items ?? [], (d) => `${d.host}|${d.eventTime}`, (tr, d) => {
    instant(tr, 'time', d.eventTime);
    cell(tr, 'host', d.host ?? '–');
    cell(tr, 'reason', d.reason ?? 'none logged');
    cell(tr, 'prefix', d.prefix === undefined || d.prefix === null ? '–' : fmt.prefix(d.prefix));
    cell(tr, 'verdict', d.verdict ?? '–');
    cell(tr, 'packet', describePacket(d));
  }, 'No invalid drops recorded.');
}
