/**
 * The score panel's browser code. It draws whatever full snapshot the host sent last, keeps
 * only view state (expanded rows) in `setState`, and reports each render back to the host.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { barSegments, WEIGHT_NAMES } from './protocol';
import type {
  ArmView,
  HostMessage,
  KiloView,
  LearningView,
  ModelRow,
  PanelSnapshot,
  PanelViewState,
  PatternSummary,
  PricesView,
  TurnView,
  WeightName,
  WebviewMessage,
} from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelViewState | undefined;
  setState(state: PanelViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
let viewState: PanelViewState = vscode.getState() ?? { expanded: [] };

const PART_LABEL: Record<WeightName, string> = {
  convergence: 'Convergence',
  latency: 'Latency',
  cost: 'Cost',
  patternMatch: 'Pattern match',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: Array<Node | string>): HTMLElementTagNameMap[K];
function el(tag: string, attrs?: Record<string, string>, ...children: Array<Node | string>): HTMLElement;
function el(tag: string, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

const pct = (n: number): string => `${Math.round(n * 100)}%`;
const pct1 = (n: number): string => `${(n * 100).toFixed(1)}%`;
const usd = (n: number): string => (n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(3)}`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function header(s: PanelSnapshot): HTMLElement {
  const d = s.decision;
  const box = el('header', { class: 'decision' });
  box.append(el('h1', {}, 'Convergence scores'));
  if (!d) {
    box.append(el('p', { class: 'muted' }, 'No request scored yet. Run “Convergence: Route with convergence”.'));
    return box;
  }
  const chosen = s.override ?? d.selected;
  const chosenName = d.rows.find((r) => r.score.modelId === chosen)?.displayName ?? chosen;
  box.append(el('p', { class: 'request' }, el('span', { class: 'muted' }, 'Request: '), el('q', { id: 'request-text' }, d.request)));
  const badge = el('vscode-badge', { id: 'confidence', 'aria-label': `Confidence ${d.confidenceLevel}`, 'data-level': d.confidenceLevel }, d.confidenceLevel);
  const status = el(
    'div',
    { class: 'pick', role: 'status', 'aria-live': 'polite' },
    el('span', {}, s.override ? 'Your choice: ' : 'Recommended: '),
    el('strong', { id: 'recommended', 'data-model-id': chosen }, chosenName),
    ' ',
    el('span', { class: 'muted' }, 'confidence '),
    badge,
  );
  if (d.mode === 'latency-fallback') status.append(' ', el('vscode-badge', { variant: 'counter' }, 'latency fallback'));
  box.append(status);
  box.append(el('p', { id: 'recommendation' }, d.recommendation));
  const turn = d.turn;
  if (turn) {
    const notes: string[] = [];
    if (turn.arm === 'latency') notes.push(`Rollout: this request is in the latency arm (${100 - (s.learning?.rolloutPercent ?? 0)}% of requests follow the old fastest-model rule).`);
    if (turn.failed.length > 0) notes.push(`Attempt ${turn.attempt}: after ${turn.failed.join(', ')} did not do it, the pick is stronger where they failed.`);
    if (turn.explored) notes.push('Exploring: a draw from the learned statistics chose this model (within the exploration bounds).');
    if (turn.note && (turn.failed.length > 0 || turn.explored)) notes.push(turn.note);
    if (notes.length > 0) box.append(el('p', { id: 'turn-note', class: 'muted' }, notes.join(' ')));
    box.append(thumbs(turn.turnId, s.learning?.recent.find((r) => r.turnId === turn.turnId)?.thumbs, 'this decision', 'decision'));
  }
  if (s.override) {
    const clear = el('vscode-button', { id: 'clear-override', secondary: '', 'aria-label': 'Clear your choice and follow the recommendation' }, 'Follow recommendation');
    clear.addEventListener('click', () => vscode.postMessage({ type: 'clearOverride' }));
    box.append(el('p', {}, `You chose ${chosenName} over the recommended ${d.rows.find((r) => r.score.modelId === d.selected)?.displayName ?? d.selected}. `, clear));
  }
  if (d.warnings.length > 0) {
    const list = el('ul', { class: 'warnings', 'aria-label': 'Warnings' });
    for (const w of d.warnings) list.append(el('li', {}, w));
    box.append(list);
  }
  return box;
}

function weightControls(s: PanelSnapshot): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'weights-title', class: 'weights' });
  section.append(el('h2', { id: 'weights-title' }, 'Weights'));
  const grid = el('div', { class: 'weight-grid' });
  for (const name of WEIGHT_NAMES) {
    const id = `weight-${name}`;
    const input = el('input', {
      type: 'range',
      id,
      min: '0',
      max: '1',
      step: '0.05',
      value: String(s.sliders[name]),
      'aria-valuetext': `${s.sliders[name].toFixed(2)}, share ${pct(s.weights[name])}`,
    });
    input.addEventListener('change', () => vscode.postMessage({ type: 'setWeight', name, value: Number(input.value) }));
    input.addEventListener('input', () => {
      const out = document.getElementById(`${id}-value`);
      if (out) out.textContent = Number(input.value).toFixed(2);
    });
    grid.append(
      el('label', { for: id, class: `swatch-label part-${name}` }, PART_LABEL[name]),
      input,
      el('output', { id: `${id}-value`, for: id }, s.sliders[name].toFixed(2)),
      el('span', { class: 'muted share', title: 'Share of the total after normalising' }, pct(s.weights[name])),
    );
  }
  section.append(grid);
  if (s.decision?.patternWeightShared) {
    section.append(el('p', { class: 'muted' }, 'No session pattern profile yet: the pattern-match weight is shared out over the other three.'));
  }
  return section;
}

function bar(row: ModelRow, s: PanelSnapshot): HTMLElement {
  const d = s.decision;
  const segs = d ? barSegments(row.score, s.weights, d.mode) : [];
  const label = segs.map((g) => `${PART_LABEL[g.part]} ${g.value.toFixed(3)}`).join(', ');
  const wrap = el('div', { class: 'bar', role: 'img', 'aria-label': `Total ${row.score.totalScore.toFixed(3)}: ${label}` });
  for (const g of segs) {
    const seg = el('span', { class: `seg part-${g.part}`, title: `${PART_LABEL[g.part]} ${g.value.toFixed(3)}` });
    seg.style.width = pct(Math.max(0, g.value));
    wrap.append(seg);
  }
  return wrap;
}

function scoreTable(s: PanelSnapshot): HTMLElement {
  const d = s.decision;
  const section = el('section', { 'aria-labelledby': 'models-title' });
  section.append(el('h2', { id: 'models-title' }, 'Models'));
  if (!d) return section;
  const chosen = s.override ?? d.selected;
  const table = el('table', { id: 'scores' });
  table.append(el('caption', { class: 'muted' }, 'Candidates best first. The bar shows each weighted part of the total.'));
  const head = el('tr', {});
  const headers: Array<[string, string]> = [
    ['#', 'Rank'],
    ['Model', ''],
    ['Score', 'Weighted parts of the total'],
    ['Total', 'Weighted total, 0 to 1'],
    ['Est. cost', 'Estimated USD for this request'],
    ['Est. time', 'Estimated time for this request'],
    ['Support', "How much real data backs the model's figures"],
    ['Gate', 'ok: clears the thresholds; risky: below them; left out: over the cost cap or context window'],
    ['', 'Actions'],
  ];
  for (const [text, title] of headers) head.append(el('th', title ? { scope: 'col', title, ...(text === '' ? { 'aria-label': title } : {}) } : { scope: 'col' }, text));
  table.append(el('thead', {}, head));
  const body = el('tbody', {});
  d.rows.forEach((row, i) => {
    const sc = row.score;
    const id = sc.modelId;
    const gate = !sc.eligible ? 'left out' : sc.clearsThresholds ? 'ok' : 'risky';
    const nameCell = el('th', { scope: 'row' }, el('span', { class: 'model-name' }, row.displayName));
    if (id === d.selected) nameCell.append(' ', el('vscode-badge', { class: 'tag' }, 'recommended'));
    if (id === chosen && s.override) nameCell.append(' ', el('vscode-badge', { class: 'tag' }, 'your choice'));
    const details = el('details', { 'data-model-id': id });
    if (viewState.expanded.includes(id)) details.setAttribute('open', '');
    details.append(el('summary', { id: `why-${id}`, 'aria-label': `Why ${row.displayName}` }, 'Why'));
    details.append(el('p', {}, sc.recommendation));
    const b = sc.breakdown;
    details.append(
      el(
        'p',
        { class: 'muted' },
        `convergence ${b.convergence.toFixed(2)} · latency ${b.latencyNormalized.toFixed(2)} · cost ${b.costNormalized.toFixed(2)}` +
          (b.patternMatch === undefined ? '' : ` · pattern match ${b.patternMatch.toFixed(2)}`) +
          (b.robustness === undefined ? ' · no review yet' : ` · reviewed robustness ${b.robustness}`) +
          (row.kiloModel ? ` · Kilo id ${row.kiloModel}` : ''),
      ),
    );
    if (sc.warnings.length > 0) {
      const ul = el('ul', { class: 'warnings' });
      for (const w of sc.warnings) ul.append(el('li', {}, w));
      details.append(ul);
    }
    details.addEventListener('toggle', () => {
      const set = new Set(viewState.expanded);
      if (details.open) set.add(id);
      else set.delete(id);
      viewState = { ...viewState, expanded: [...set] };
      vscode.setState(viewState);
    });
    nameCell.append(details);
    const use = el('vscode-button', { id: `use-${id}`, 'data-use-model': id, 'aria-label': `Use ${row.displayName}` }, id === chosen ? 'In use' : 'Use this model');
    if (id === chosen) use.setAttribute('disabled', '');
    use.addEventListener('click', () => vscode.postMessage({ type: 'useModel', modelId: id }));
    const tr = el(
      'tr',
      { 'data-model-id': id, class: `${id === chosen ? 'chosen' : ''} gate-${gate.replace(' ', '-')}` },
      el('td', {}, String(i + 1)),
      nameCell,
      el('td', { class: 'bar-cell' }, bar(row, s)),
      el('td', { class: 'num total' }, sc.totalScore.toFixed(3)),
      el('td', { class: 'num' }, usd(sc.estimate.costUsd)),
      el('td', { class: 'num' }, secs(sc.estimate.latencyMs)),
      el('td', {}, el('vscode-badge', { 'aria-label': `Support ${sc.confidenceLevel}` }, sc.confidenceLevel)),
      el('td', { class: `gate ${gate.replace(' ', '-')}` }, gate),
      el('td', {}, use),
    );
    body.append(tr);
  });
  table.append(body);
  section.append(el('div', { class: 'table-scroll' }, table));
  const legend = el('p', { class: 'legend', 'aria-hidden': 'true' });
  for (const name of WEIGHT_NAMES) legend.append(el('span', { class: `swatch part-${name}` }), ` ${PART_LABEL[name]} `);
  section.append(legend);
  return section;
}

function overridePicker(s: PanelSnapshot): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'override-title', class: 'override' });
  section.append(el('h2', { id: 'override-title' }, 'Override'));
  const select = el('vscode-single-select', { id: 'override-select', 'aria-label': 'Model to use instead of the recommendation' });
  const current = s.override ?? s.decision?.selected;
  for (const m of s.models) {
    const opt = el('vscode-option', { value: m.id }, m.displayName);
    if (m.id === current) opt.setAttribute('selected', '');
    select.append(opt);
  }
  const apply = el('vscode-button', { id: 'override-apply' }, 'Use selected model');
  apply.addEventListener('click', () => {
    const value = (select as HTMLElement & { value: string }).value;
    if (value) vscode.postMessage({ type: 'useModel', modelId: value });
  });
  const again = el('vscode-button', { id: 'reroute', secondary: '' }, 'Route another request…');
  again.addEventListener('click', () => vscode.postMessage({ type: 'reroute' }));
  section.append(el('div', { class: 'row' }, select, apply, again));
  return section;
}

function patternsSection(patterns: PatternSummary[] | undefined): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'patterns-title' });
  section.append(el('h2', { id: 'patterns-title' }, 'Session patterns'));
  if (patterns === undefined) {
    section.append(el('p', { class: 'muted' }, 'Pattern detection is not available in this build.'));
    return section;
  }
  if (patterns.length === 0) {
    section.append(el('p', { class: 'muted' }, 'No patterns detected in the files edited this session.'));
    return section;
  }
  const list = el('ul', { class: 'patterns' });
  for (const p of patterns) {
    const item = el('li', {}, el('strong', {}, p.pattern), ` × ${p.count}`);
    if (p.places.length > 0) {
      const places = el('span', { class: 'places' });
      for (const place of p.places) {
        const a = el('a', { href: '#', 'aria-label': `Open ${place.label}` }, place.label);
        a.addEventListener('click', (e) => {
          e.preventDefault();
          vscode.postMessage({ type: 'openPlace', uri: place.uri, line: place.line });
        });
        places.append(' ', a);
      }
      item.append(' — ', places);
    }
    list.append(item);
  }
  section.append(list);
  return section;
}

/** Thumbs up / down for one turn; `idBase` keeps each pair's ids stable across redraws (focus survives). */
function thumbs(turnId: string, given: boolean | undefined, what: string, idBase: string): HTMLElement {
  const box = el('div', { class: 'row thumbs', role: 'group', 'aria-label': `Did ${what} work?` });
  for (const up of [true, false]) {
    const b = el(
      'vscode-button',
      {
        id: `${idBase}-${up ? 'up' : 'down'}`,
        secondary: '',
        'data-turn-id': turnId,
        'data-up': String(up),
        'aria-pressed': String(given === up),
        'aria-label': `${up ? 'Thumbs up' : 'Thumbs down'}: ${what} ${up ? 'worked' : 'did not work'}`,
      },
      up ? 'Worked' : 'Did not work',
    );
    b.addEventListener('click', () => vscode.postMessage({ type: 'thumbs', turnId, up }));
    box.append(b);
  }
  return box;
}

const ago = (at: number): string => {
  const min = Math.round((Date.now() - at) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
};
const num = (n: number): string => (Math.abs(n - Math.round(n)) < 0.05 ? String(Math.round(n)) : n.toFixed(1));

function armCells(a: ArmView): string[] {
  return [
    String(a.requests),
    a.successRate === undefined ? '—' : `${pct(a.successRate)} of ${num(a.successes + a.failures)}`,
    a.meanCostUsd === undefined ? '—' : usd(a.meanCostUsd),
    a.meanLatencyMs === undefined ? '—' : secs(a.meanLatencyMs),
  ];
}

function recentList(recent: TurnView[]): HTMLElement {
  const list = el('ol', { id: 'recent', class: 'recent', 'aria-label': 'Recent decisions, newest first' });
  recent.forEach((t, i) => {
    const verdict = t.verdict ? `${t.verdict.success ? 'worked' : 'did not work'} (${t.verdict.decidedBy}, weight ${t.verdict.weight})` : 'no outcome yet';
    const facts = [t.source === 'kilo' ? 'Kilo' : 'panel', ago(t.at)];
    if (t.arm) facts.push(`${t.arm} arm`);
    if (t.override) facts.push('not the pick');
    if (t.costUsd !== undefined) facts.push(usd(t.costUsd));
    if (t.latencyMs !== undefined) facts.push(secs(t.latencyMs));
    const item = el(
      'li',
      { 'data-turn-id': t.turnId },
      el('strong', {}, t.displayName),
      ' ',
      el('span', { class: 'muted' }, `(${facts.join(', ')})`),
      ' — ',
      el('q', {}, t.request),
      ' — ',
      el('span', { class: 'verdict' }, verdict),
    );
    item.append(thumbs(t.turnId, t.thumbs, `${t.displayName} on “${t.request}”`, `recent-${i}`));
    list.append(item);
  });
  return list;
}

function learningSection(l: LearningView | undefined): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'learning-title', id: 'learning' });
  section.append(el('h2', { id: 'learning-title' }, 'Learned in this workspace'));
  if (!l) {
    section.append(el('p', { class: 'muted' }, 'Learning from outcomes is not available in this build.'));
    return section;
  }
  if (!l.enabled) section.append(el('p', { class: 'muted', id: 'learning-off' }, 'Learning is off (convergence.learning.enabled): routing uses the profiles alone; outcomes are still recorded below.'));
  if (l.models.length === 0) {
    section.append(el('p', { class: 'muted', id: 'learned-none' }, 'Nothing observed yet: outcomes of Kilo turns, reverts, re-asks, diagnostics and your thumbs show here.'));
  } else {
    const table = el('table', { id: 'learned-models' });
    table.append(el('caption', { class: 'muted' }, 'Observed success (on the model’s typical task, with its 90% interval), cost and latency, with the number of observations.'));
    const head = el('tr', {});
    for (const h of ['Model', 'Success', 'Profile', 'Outcomes', 'Mean cost', 'Mean latency']) head.append(el('th', { scope: 'col' }, h));
    table.append(el('thead', {}, head));
    const body = el('tbody', {});
    for (const m of l.models) {
      body.append(
        el(
          'tr',
          { 'data-model-id': m.modelId },
          el('th', { scope: 'row' }, m.displayName),
          el('td', { class: 'num' }, `${pct1(m.successRate)} (${pct(m.interval[0])}–${pct(m.interval[1])})`),
          el('td', { class: 'num' }, pct1(m.prior)),
          el('td', { class: 'num observations' }, `${num(m.observations)} (${num(m.successes)} ok, ${num(m.failures)} not)`),
          el('td', { class: 'num' }, m.meanCostUsd === undefined ? '—' : `${usd(m.meanCostUsd)} (${num(m.costObservations)})`),
          el('td', { class: 'num' }, m.meanLatencyMs === undefined ? '—' : `${secs(m.meanLatencyMs)} (${num(m.latencyObservations)})`),
        ),
      );
    }
    table.append(body);
    section.append(el('div', { class: 'table-scroll' }, table));
  }
  section.append(el('p', { class: 'muted' }, `${l.unobserved} model(s) not observed yet: their profiles stand.`));

  const rollout = el('table', { id: 'rollout' });
  rollout.append(el('caption', { class: 'muted' }, `Rollout: ${l.rolloutPercent}% of requests routed by convergence, the rest by the old latency rule (convergence.rolloutPercent).`));
  const rh = el('tr', {}, el('th', { scope: 'col' }, 'Arm'));
  for (const h of ['Requests', 'Worked', 'Mean cost', 'Mean latency']) rh.append(el('th', { scope: 'col' }, h));
  rollout.append(el('thead', {}, rh));
  const rb = el('tbody', {});
  for (const [name, label] of [
    ['convergence', 'Convergence'],
    ['latency', 'Latency rule'],
  ] as const) {
    const tr = el('tr', { 'data-arm': name }, el('th', { scope: 'row' }, label));
    for (const c of armCells(l.arms[name])) tr.append(el('td', { class: 'num' }, c));
    rb.append(tr);
  }
  rollout.append(rb);
  section.append(el('div', { class: 'table-scroll' }, rollout));

  const ex = l.exploration;
  const share = ex.decisions > 0 ? ex.explored / ex.decisions : 0;
  const spend = ex.spendUsd > 0 ? ex.exploreSpendUsd / ex.spendUsd : 0;
  section.append(
    el(
      'p',
      { id: 'exploration', class: 'muted' },
      ex.maxRequestShare === 0 || ex.maxBudgetShare === 0
        ? `Exploration is off. ${ex.decisions} decision(s) so far.`
        : `Exploration: ${ex.explored} of ${ex.decisions} decision(s) (${pct(share)}, at most ${pct(ex.maxRequestShare)}), ${usd(ex.exploreSpendUsd)} of ${usd(ex.spendUsd)} estimated spend (${pct(spend)}, at most ${pct(ex.maxBudgetShare)}).`,
    ),
  );
  if (l.recent.length > 0) {
    section.append(el('h3', {}, 'Recent decisions'));
    section.append(recentList(l.recent));
  }
  return section;
}

function kiloSection(k: KiloView | undefined, prices: PricesView | undefined): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'kilo-title', id: 'kilo' });
  section.append(el('h2', { id: 'kilo-title' }, 'Kilo Code'));
  if (!k) section.append(el('p', { class: 'muted' }, 'The Kilo integration is not available in this build.'));
  else {
    section.append(el('p', { id: 'kilo-integration', 'data-kind': k.kind }, k.integration));
    if (k.detail) section.append(el('p', { id: 'kilo-detail', class: 'muted' }, k.detail));
    for (const o of k.others) section.append(el('p', { class: 'muted' }, o));
    if (k.activity) section.append(el('p', { id: 'kilo-activity' }, el('span', { class: 'muted' }, 'Kilo routing plugin: '), k.activity));
  }
  if (prices) {
    section.append(el('p', { id: 'prices', 'data-state': prices.state }, prices.text));
    if (prices.missing.length > 0) section.append(el('p', { class: 'muted' }, `Not listed by the gateway, left out of the candidates: ${prices.missing.join(', ')}.`));
  }
  return section;
}

function render(s: PanelSnapshot): void {
  const focusedId = document.activeElement?.id;
  app.replaceChildren();
  if (s.error) app.append(el('p', { class: 'error', role: 'alert' }, s.error));
  app.append(
    header(s),
    el('vscode-divider', {}),
    weightControls(s),
    scoreTable(s),
    overridePicker(s),
    learningSection(s.learning),
    kiloSection(s.kilo, s.prices),
    patternsSection(s.patterns),
  );
  app.setAttribute('aria-busy', 'false');
  // A re-render after a slider change must not throw keyboard users out of the control.
  if (focusedId) document.getElementById(focusedId)?.focus();
  const rows = s.decision?.rows ?? [];
  const learned = [...document.querySelectorAll<HTMLElement>('#learned-models tbody tr')].map((tr) => tr.dataset['modelId'] ?? '');
  vscode.postMessage({
    type: 'rendered',
    order: rows.map((r) => r.score.modelId),
    totals: rows.map((r) => r.score.totalScore),
    selected: s.decision?.selected,
    drawn: { learned, kilo: document.getElementById('kilo-integration')?.textContent ?? undefined, prices: document.getElementById('prices')?.textContent ?? undefined },
  });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'snapshot':
      render(msg.snapshot);
      return;
    default: {
      const never: never = msg.type;
      void never;
    }
  }
});

vscode.postMessage({ type: 'ready' });
