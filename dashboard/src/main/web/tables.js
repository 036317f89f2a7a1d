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

// Avro's JSON encoding wraps union values ({"string": "x"}); a plain JSON encoding does not. Read both.
function plain(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && /^(string|int|long|float|double|boolean|bytes)$|\./.test(keys[0])) {
      return plain(value[keys[0]]);
    }
  }
  return value;
}

function field(record, ...path) {
  let v = plain(record);
  for (const name of path) {
    v = v === null || v === undefined ? v : plain(v[name]);
  }
  return v;
}

function describePacket(drop) {
  const ip = field(drop, 'packet', 'packet') ?? field(drop, 'conntrack', 'packet');
  if (!ip) {
    return '–';
  }
  const port = (p) => (p === null || p === undefined ? '' : `:${p}`);
  const protocol = field(ip, 'protocol') ?? field(ip, 'protocolNumber') ?? '';
  return `${protocol} ${field(ip, 'src')}${port(field(ip, 'srcPort'))} → ${field(ip, 'dst')}${port(field(ip, 'dstPort'))}`.trim();
}

export function invalid(answer) {
  const items = answer.items ?? [];
  fill('invalid', items, (d) => `${field(d, 'host')}|${field(d, 'eventTime')}`, (tr, d) => {
    instant(tr, 'time', field(d, 'eventTime'));
    cell(tr, 'host', field(d, 'host') ?? '–');
    cell(tr, 'reason', field(d, 'reason') ?? 'none logged');
    const rulePrefix = field(d, 'prefix');
    cell(tr, 'prefix', rulePrefix === undefined || rulePrefix === null ? '–' : fmt.prefix(rulePrefix));
    cell(tr, 'verdict', field(d, 'verdict') ?? '–');
    cell(tr, 'packet', describePacket(d));
  }, 'No invalid drops recorded.');
}
