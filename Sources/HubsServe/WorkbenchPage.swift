/// The workbench page: plain HTML, a stylesheet and one script of its own, served by the
/// workbench itself (nothing is fetched from anywhere else; the Content-Security-Policy forbids
/// it). Every piece of input text reaches the page as JSON and is put in with `textContent`, never
/// as markup; the one piece of markup from the server is the report's ranking chart, whose text
/// the chart module escapes.
enum WorkbenchPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>hubs workbench</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/workbench.css">
        <script src="/workbench.js" defer></script>
        </head>
        <body>
        <header>
          <h1>hubs workbench</h1>
          <label>Policy <select id="policy-select"></select></label>
          <label>Scenario <select id="scenario-select"></select></label>
          <span id="status" role="status" aria-live="polite"></span>
        </header>
        <main>
          <section id="ranking-section" aria-labelledby="ranking-h">
            <h2 id="ranking-h">Ranking</h2>
            <p id="view-note" class="override-note" hidden></p>
            <div id="problems" class="problems" hidden></div>
            <table id="ranking">
              <thead><tr><th>#</th><th>Candidate</th><th class="num">Risk</th><th>From evidence / assumptions</th><th>Band</th><th>Status</th><th>Drivers</th></tr></thead>
              <tbody></tbody>
            </table>
            <div id="chart"></div>
          </section>
          <section id="candidate-section" aria-labelledby="candidate-h">
            <h2 id="candidate-h">Candidate</h2>
            <p class="hint">Click a candidate in the ranking to read why it scores as it does.</p>
            <div id="candidate"></div>
          </section>
          <section id="overrides-section" aria-labelledby="overrides-h">
            <h2 id="overrides-h">Overrides</h2>
            <p class="override-note">For this view only, not in the files: as <code>--weight</code> and <code>--set</code> would give them.</p>
            <ul id="overrides"></ul>
            <button id="reset-all" type="button">Reset all overrides</button>
            <h3>Weights</h3>
            <div id="weights"></div>
            <h3>Facts</h3>
            <div class="fact-editor">
              <label>Candidate <select id="fact-candidate"></select></label>
              <label>Fact <select id="fact-name"></select></label>
              <label>Value <select id="fact-value"></select><input id="fact-number" type="text" inputmode="decimal" hidden></label>
              <button id="fact-set" type="button">Set</button>
            </div>
            <h3>Against the files on disk</h3>
            <div id="changes"><p class="hint">No overrides and no unsaved edits: the view is the files.</p></div>
          </section>
          <section id="analysis-section" aria-labelledby="analysis-h">
            <h2 id="analysis-h">Robustness and what-if</h2>
            <div class="row">
              <label>Runs <input id="samples" type="number" min="2" max="20000" value="1000"></label>
              <button id="robustness-run" type="button">Run robustness</button>
              <button id="robustness-cancel" type="button" hidden>Cancel</button>
              <progress id="robustness-progress" max="1" value="0" hidden></progress>
            </div>
            <div id="robustness"></div>
            <div class="row">
              <label>What would it take for <select id="whatif-candidate"></select></label>
              <label>to reach <select id="whatif-goal"><option value="rank:1">rank 1</option><option value="rank:2">rank 2</option><option value="rank:3">rank 3</option></select></label>
              <button id="whatif-run" type="button">Search</button>
            </div>
            <div id="whatif"></div>
          </section>
          <section id="editor-section" aria-labelledby="editor-h">
            <h2 id="editor-h">Files</h2>
            <div class="tabs" role="tablist"><button id="tab-policy" type="button" role="tab">policy</button><button id="tab-scenario" type="button" role="tab">scenario</button></div>
            <div class="editor"><pre id="gutter" aria-hidden="true"></pre><textarea id="text" spellcheck="false" aria-label="file text" wrap="off"></textarea></div>
            <div class="row"><span id="editor-state"></span><button id="save" type="button">Save…</button></div>
            <ul id="diagnostics"></ul>
            <dialog id="save-dialog">
              <h3>Save <span id="save-path"></span>?</h3>
              <p>These lines change (− on disk now, + after saving):</p>
              <pre id="save-diff"></pre>
              <div class="row"><button id="save-confirm" type="button">Save</button><button id="save-cancel" type="button">Cancel</button></div>
            </dialog>
          </section>
        </main>
        </body>
        </html>
        """#

    static let style = #"""
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0; background: #fafafa; }
        header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; padding: .5rem 1rem; background: #1d1d1f; color: #fff; }
        header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
        header select { max-width: 22rem; }
        #status { margin-left: auto; font-size: .9rem; }
        main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; padding: 1rem; }
        section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem 1rem; min-width: 0; }
        #editor-section { grid-column: 1 / -1; }
        h2 { font-size: 1.1rem; margin: .3rem 0 .6rem; } h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { border-bottom: 1px solid #e2e2e2; padding: .25rem .4rem; text-align: left; vertical-align: top; }
        th { background: #f4f4f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        #ranking tbody tr { cursor: pointer; } #ranking tbody tr:hover { background: #eef4fb; } #ranking tbody tr.selected { background: #dbeafe; }
        #ranking-section { overflow-x: auto; }
        .split { display: inline-flex; width: 6rem; height: .8rem; border: 1px solid #999; vertical-align: middle; background: #fff; }
        .split .evidence { background: #0072B2; } .split .assumed { background: repeating-linear-gradient(45deg, #D55E00 0 3px, #fff 3px 6px); }
        .w0 { width: 0; } .w1 { width: 1%; }
        .assumed-mark { color: #9a3412; font-weight: 600; }
        .override-note { background: #fff7ed; border: 1px solid #fdba74; color: #7c2d12; padding: .3rem .5rem; border-radius: 4px; }
        .problems { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; padding: .3rem .5rem; border-radius: 4px; }
        .hint { color: #555; }
        #candidate { overflow-x: auto; } #candidate table { font-size: .85rem; } #candidate td { overflow-wrap: anywhere; }
        .row { display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; margin: .4rem 0; }
        .weight { display: grid; grid-template-columns: 14rem 1fr 4rem 4rem; gap: .4rem; align-items: center; }
        .weight.d1 label { padding-left: 1rem; } .weight.d2 label { padding-left: 2rem; }
        .weight.changed label { font-weight: 600; color: #7c2d12; }
        .fact-editor { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
        #overrides li { margin: .2rem 0; } #overrides button { margin-left: .5rem; }
        .editor { display: flex; border: 1px solid #bbb; height: 26rem; overflow: hidden; font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        #gutter { margin: 0; padding: .3rem .4rem; background: #f4f4f5; color: #666; text-align: right; overflow: hidden; min-width: 3rem; font: inherit; }
        #text { flex: 1; border: 0; padding: .3rem .5rem; resize: none; font: inherit; white-space: pre; overflow: auto; }
        .tabs button[aria-selected="true"] { font-weight: 700; border-bottom: 2px solid #0072B2; }
        #diagnostics { list-style: none; padding: 0; font-size: .9rem; }
        #diagnostics li { padding: .2rem .3rem; border-left: 4px solid #999; margin: .2rem 0; background: #fafafa; cursor: pointer; }
        #diagnostics li.error { border-color: #b91c1c; } #diagnostics li.warning { border-color: #b45309; } #diagnostics li.note { border-color: #1d4ed8; }
        #diagnostics .code { color: #555; } #diagnostics .diag-hint { color: #14532d; display: block; }
        #save-diff { max-height: 22rem; overflow: auto; background: #f8f8f8; padding: .4rem; }
        .del { color: #b91c1c; } .add { color: #15803d; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .3rem 0; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        .small { font-size: .85rem; color: #444; }
        @media (max-width: 900px) { main { grid-template-columns: 1fr; } }

        """#

    static let script = #"""
        "use strict";
        // The workbench's script: asks the server (same origin, cookie) and draws the answers.
        // Input text is only ever set with textContent.
        const $ = (id) => document.getElementById(id);
        const state = {
          policy: null, scenario: null, weights: {}, facts: {}, buffers: {}, docs: {},
          tab: "policy", selected: null, version: 0, last: null, nominal: {}, job: null, scoreSeq: 0,
        };

        function el(tag, text, cls) {
          const e = document.createElement(tag);
          if (text !== undefined && text !== null) e.textContent = String(text);
          if (cls) e.className = cls;
          return e;
        }
        function fmt(x, d = 2) { return (x === null || x === undefined) ? "–" : Number(x).toFixed(d); }
        function pct(x) { return Math.round(x * 100) + "%"; }
        function status(text) { $("status").textContent = text; }

        async function api(path, body, method) {
          const init = { method: method || (body === undefined ? "GET" : "POST"), headers: {} };
          if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
          const r = await fetch(path, init);
          let data = null;
          try { data = await r.json(); } catch (e) { data = null; }
          return { status: r.status, data };
        }

        function view(extra) {
          return Object.assign({ policy: state.policy, scenario: state.scenario, weights: state.weights, facts: state.facts, buffers: state.buffers }, extra || {});
        }

        // --- ranking -------------------------------------------------------------------
        let scoreTimer = null;
        function scoreSoon(delay) { clearTimeout(scoreTimer); scoreTimer = setTimeout(score, delay === undefined ? 30 : delay); }

        async function score() {
          const seq = ++state.scoreSeq;
          const r = await api("/api/score", view());
          if (seq !== state.scoreSeq) return;
          const problems = $("problems");
          if (r.status !== 200 || !r.data.assessment) {
            problems.hidden = false;
            problems.replaceChildren(el("strong", "The view cannot be scored: "), ...(r.data && r.data.diagnostics ? r.data.diagnostics.map(d => el("div", where(d) + " " + d.message)) : [el("span", (r.data && r.data.error) || ("status " + r.status))]));
            return;
          }
          problems.hidden = true;
          state.last = r.data;
          drawRanking(r.data.assessment);
          $("chart").innerHTML = r.data.chart;
          drawOverrides();
          drawWeights(r.data.assessment);
          drawFactEditor(r.data);
          drawChanges(r.data.changes);
          if (state.selected) drawCandidate(state.selected);
          const n = Object.keys(state.weights).length + Object.keys(state.facts).length;
          const edited = Object.keys(state.buffers).length;
          const note = $("view-note");
          note.hidden = n === 0 && edited === 0;
          note.textContent = (n ? n + " override(s) for this view only, not in the files. " : "") + (edited ? "Scored with unsaved edits of " + Object.keys(state.buffers).join(", ") + "." : "");
        }

        function where(d) { return d.file ? d.file + (d.line ? ":" + d.line + ":" + d.column : "") : ""; }

        function drawRanking(a) {
          if (!performance.getEntriesByName("ranking-shown").length) performance.mark("ranking-shown");
          const body = $("ranking").tBodies[0];
          body.replaceChildren();
          for (const c of a.candidates) {
            const tr = el("tr");
            tr.dataset.id = c.id;
            if (c.id === state.selected) tr.className = "selected";
            tr.append(el("td", c.rank === null ? "–" : c.rank));
            const name = el("td", c.name);
            if (c.assumption_spread && !c.assumption_spread.robust) name.append(el("span", " *", "assumed-mark"));
            tr.append(name);
            tr.append(el("td", fmt(c.risk, 2), "num"));
            const split = el("td");
            const bar = el("span", null, "split");
            const ev = el("span", null, "evidence"), as = el("span", null, "assumed");
            ev.style.width = Math.max(0, c.risk_from_evidence || 0) + "%";
            as.style.width = Math.max(0, c.risk_from_assumptions || 0) + "%";
            bar.append(ev, as);
            split.append(bar, el("span", " " + fmt(c.risk_from_evidence, 1) + " / " + fmt(c.risk_from_assumptions, 1), "small"));
            tr.append(split);
            tr.append(el("td", c.band || "–"));
            tr.append(el("td", c.status === "excluded" ? "excluded by " + c.excluded_by.map(g => g.gate).join(", ") : c.status.replace(/_/g, " ")));
            tr.append(el("td", c.drivers.map(d => d.criterion + (d.assumed ? " (assumed)" : "")).join(", "), "small"));
            tr.addEventListener("click", () => { state.selected = c.id; drawRanking(a); drawCandidate(c.id); $("whatif-candidate").value = c.id; });
            body.append(tr);
          }
        }

        // --- candidate panel ---------------------------------------------------------------
        function drawCandidate(id) {
          const a = state.last && state.last.assessment;
          const c = a && a.candidates.find(x => x.id === id);
          const box = $("candidate");
          box.replaceChildren();
          if (!c) return;
          box.append(el("h3", c.name + " (" + c.id + ")"));
          box.append(el("p", (c.rank ? "Rank " + c.rank + ", " : "") + "risk " + fmt(c.risk, 2) + " (" + (c.band || "no band") + "), " + c.status.replace(/_/g, " ") + "; coverage " + pct(c.coverage) + "."));
          box.append(el("p", "From evidence " + fmt(c.risk_from_evidence, 2) + " + from assumptions " + fmt(c.risk_from_assumptions, 2) + " = " + fmt(c.risk, 2) + "."));
          const t = el("table");
          t.append(el("thead")); t.tHead.append(rowOf(["Criterion", "Rule or case", "Risk", "Weight", "Contribution"], "th"));
          const tb = el("tbody");
          let sum = 0;
          for (const k of c.criteria) {
            const rule = k.kind === "group" ? "group, " + k.aggregate : (k.case ? "case: " + k.case.label : (k.rule || "")) + (k.skipped ? " (skipped)" : "");
            const tr = rowOf([("\u00a0".repeat(2 * k.depth)) + k.title, rule, fmt(k.risk, 1), pct(k.effective_weight), fmt(k.contribution, 2) + (k.assumed ? " assumed" : "")]);
            if (k.kind !== "group") sum += k.contribution;
            tb.append(tr);
            if (k.reads) for (const f of k.reads) {
              const src = f.source ? f.source.id + " " + f.source.title + (f.source.date ? ", " + f.source.date : "") : "no source";
              tb.append(rowOf(["", "\u2192 " + f.fact + " = " + (f.value === null ? "unknown" : f.value), src, f.confidence || "", f.location || ""], "td", "small"));
            }
          }
          t.append(tb);
          box.append(t);
          box.append(el("p", "The leaves' contributions add up to " + fmt(sum, 4) + " (risk " + fmt(c.risk, 4) + ").", "small"));
          if (c.gates.length) {
            box.append(el("h4", "Gates"));
            const ul = el("ul");
            for (const g of c.gates) ul.append(el("li", g.id + ": " + g.outcome + " (" + g.condition + ")"));
            box.append(ul);
          }
          if (c.assumptions.length) {
            box.append(el("h4", "Assumptions"));
            const ul = el("ul");
            for (const s of c.assumptions) ul.append(el("li", s));
            box.append(ul);
          }
        }

        function rowOf(cells, tag, cls) {
          const tr = el("tr", null, cls);
          for (const x of cells) tr.append(el(tag || "td", x));
          return tr;
        }

        // --- overrides ---------------------------------------------------------------------
        function drawOverrides() {
          const ul = $("overrides");
          ul.replaceChildren();
          for (const [k, v] of Object.entries(state.weights)) {
            const li = el("li", "--weight " + k + "=" + v + " (in the file: " + state.nominal[k] + ")");
            const b = el("button", "reset"); b.type = "button";
            b.addEventListener("click", () => { delete state.weights[k]; scoreSoon(0); });
            li.append(b); ul.append(li);
          }
          for (const [k, v] of Object.entries(state.facts)) {
            const li = el("li", "--set " + k + "=" + v);
            const b = el("button", "reset"); b.type = "button";
            b.addEventListener("click", () => { delete state.facts[k]; scoreSoon(0); });
            li.append(b); ul.append(li);
          }
          if (!ul.children.length) ul.append(el("li", "none", "hint"));
        }

        let weightsDrawnFor = null;
        function drawWeights(a) {
          const first = a.candidates[0];
          if (!first) return;
          const key = state.policy + JSON.stringify(state.weights);
          if (weightsDrawnFor === key) return;
          weightsDrawnFor = key;
          const box = $("weights");
          const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.criterion : null;
          if (focused) return; // never redraw under a slider being dragged
          box.replaceChildren();
          for (const k of first.criteria) {
            if (!(k.id in state.nominal)) state.nominal[k.id] = k.weight;
            const nominal = state.nominal[k.id];
            const now = k.id in state.weights ? state.weights[k.id] : nominal;
            const row = el("div", null, "weight d" + k.depth + (k.id in state.weights ? " changed" : ""));
            const id = "w-" + k.id;
            const label = el("label", k.title); label.htmlFor = id;
            const slider = el("input"); slider.type = "range"; slider.id = id; slider.min = "0"; slider.max = String(Math.max(1, nominal * 3)); slider.step = String(nominal >= 10 ? 1 : 0.1); slider.value = String(now);
            slider.dataset.criterion = k.id;
            const shown = el("span", String(now), "num");
            slider.addEventListener("input", () => {
              const v = Number(slider.value);
              shown.textContent = String(v);
              if (v === nominal) delete state.weights[k.id]; else state.weights[k.id] = v;
              row.classList.toggle("changed", k.id in state.weights);
              scoreSoon();
            });
            slider.addEventListener("change", () => { weightsDrawnFor = null; });
            const reset = el("button", "reset"); reset.type = "button";
            reset.addEventListener("click", () => { delete state.weights[k.id]; weightsDrawnFor = null; scoreSoon(0); });
            row.append(label, slider, shown, reset);
            box.append(row);
          }
        }

        function drawFactEditor(data) {
          const cs = $("fact-candidate"), fs = $("fact-name"), wc = $("whatif-candidate");
          const ids = data.assessment.candidates.map(c => c.id);
          if (cs.options.length !== ids.length) {
            for (const sel of [cs, wc]) {
              const keep = sel.value;
              sel.replaceChildren(...data.assessment.candidates.map(c => { const o = el("option", c.name); o.value = c.id; return o; }));
              if (ids.includes(keep)) sel.value = keep;
            }
          }
          if (fs.options.length !== data.facts.length) {
            fs.replaceChildren(...data.facts.map(f => { const o = el("option", f.name); o.value = f.name; return o; }));
            drawFactValues();
          }
        }

        function drawFactValues() {
          const f = state.last && state.last.facts.find(x => x.name === $("fact-name").value);
          const vs = $("fact-value"), num = $("fact-number");
          if (!f) return;
          if (f.values) {
            vs.hidden = false; num.hidden = true;
            vs.replaceChildren(...f.values.concat(["unknown"]).map(v => { const o = el("option", v); o.value = v; return o; }));
          } else {
            vs.hidden = true; num.hidden = false;
            num.placeholder = f.type === "date" ? "YYYY-MM-DD or unknown" : "number or unknown";
          }
        }

        function drawChanges(changes) {
          const box = $("changes");
          box.replaceChildren();
          if (!changes) { box.append(el("p", "No overrides and no unsaved edits: the view is the files.", "hint")); return; }
          const moved = changes.candidates.filter(c => c.change !== "unchanged");
          if (!moved.length) { box.append(el("p", "No candidate moved.", "hint")); return; }
          const ul = el("ul");
          for (const c of moved) {
            const b = c.before || {}, a = c.after || {};
            const li = el("li", c.name + ": rank " + (b.rank ?? "–") + " \u2192 " + (a.rank ?? "–") + ", risk " + fmt(b.risk, 2) + " \u2192 " + fmt(a.risk, 2));
            if (c.parts && c.parts.length) {
              const sub = el("ul");
              for (const p of c.parts) sub.append(el("li", p.criterion + " " + (p.delta >= 0 ? "+" : "") + fmt(p.delta, 2), "small"));
              li.append(sub);
            }
            ul.append(li);
          }
          box.append(ul);
        }

        // --- robustness and what-if ----------------------------------------------------------
        async function runRobustness() {
          const samples = Math.max(2, Math.min(20000, Number($("samples").value) || 1000));
          const r = await api("/api/robustness", view({ samples }));
          if (r.status !== 202) { $("robustness").replaceChildren(el("p", (r.data && (r.data.error || (r.data.diagnostics || [])[0]?.message)) || "could not start", "problems")); return; }
          state.job = r.data.job;
          $("robustness-cancel").hidden = false;
          const bar = $("robustness-progress"); bar.hidden = false; bar.value = 0;
          $("robustness").replaceChildren(el("p", "Running " + samples + " runs…", "hint"));
          const job = state.job;
          while (state.job === job) {
            await new Promise(res => setTimeout(res, 250));
            const s = await api("/api/jobs/" + job);
            if (!s.data) break;
            bar.value = s.data.progress;
            if (s.data.state === "running") continue;
            $("robustness-cancel").hidden = true; bar.hidden = true; state.job = null;
            if (s.data.state === "done") drawRobustness(s.data.result);
            else $("robustness").replaceChildren(el("p", s.data.state === "cancelled" ? "Cancelled." : "Failed: " + s.data.error, "hint"));
          }
        }

        function drawRobustness(result) {
          const box = $("robustness");
          box.replaceChildren();
          const t = el("table");
          t.append(el("thead")); t.tHead.append(rowOf(["Candidate", "Rank now", "P(rank 1)", "Rank in 90% of runs", "P(top " + result.analysis.candidates[0]?.top_k + ")", "Excluded"], "th"));
          const tb = el("tbody");
          for (const c of result.analysis.candidates) {
            tb.append(rowOf([c.name, c.nominal_rank ?? "–", pct(c.p_rank_1), c.rank_interval ? c.rank_interval[0] + "–" + c.rank_interval[1] : "–", pct(c.p_top_k), pct(c.p_excluded)]));
          }
          t.append(tb);
          box.append(t);
          for (const s of result.sentences) box.append(el("p", s, "small"));
        }

        async function runWhatIf() {
          const [kind, n] = $("whatif-goal").value.split(":");
          const r = await api("/api/whatif", view({ candidate: $("whatif-candidate").value, rank: Number(n) }));
          const box = $("whatif");
          box.replaceChildren();
          if (r.status !== 200) { box.append(el("p", (r.data && (r.data.error || (r.data.diagnostics || [])[0]?.message)) || "failed", "problems")); return; }
          if (r.data.already_met) { box.append(el("p", "Already met as the inputs stand.")); return; }
          if (!r.data.answers.length) { box.append(el("p", "No change of at most two facts reaches it.")); return; }
          const ol = el("ol");
          for (const a of r.data.answers.slice(0, 8)) {
            const li = el("li", a.changes.map(c => c.fact + ": " + c.from + " \u2192 " + c.to).join("; ") + " \u2192 risk " + fmt(a.risk, 2) + ", rank " + a.rank + (a.clear ? "" : " (thin margin: " + fmt(a.margin, 2) + ")") + (a.tied_with.length ? " (ahead only by the tie-break)" : ""));
            const b = el("button", "try it"); b.type = "button";
            b.addEventListener("click", () => { for (const c of a.changes) state.facts[r.data.candidate + "." + c.fact] = c.to; scoreSoon(0); });
            li.append(b);
            ol.append(li);
          }
          box.append(ol);
        }

        // --- editor --------------------------------------------------------------------------
        function currentPath() { return state.tab === "policy" ? state.policy : state.scenario; }

        function showTab(tab) {
          state.tab = tab;
          for (const t of ["policy", "scenario"]) $("tab-" + t).setAttribute("aria-selected", String(t === tab));
          const p = currentPath();
          $("text").value = p in state.buffers ? state.buffers[p] : (state.docs[p] ? state.docs[p].text : "");
          drawGutter();
          drawEditorState();
          check();
        }

        function drawGutter() {
          const lines = $("text").value.split("\n").length;
          let s = "";
          for (let i = 1; i <= lines; i++) s += i + "\n";
          $("gutter").textContent = s;
          $("gutter").scrollTop = $("text").scrollTop;
        }

        function drawEditorState() {
          const p = currentPath();
          const doc = state.docs[p];
          $("editor-state").textContent = p + (p in state.buffers ? " (unsaved changes)" : "") + (doc && doc.changedOnDisk ? " \u2014 changed on disk since you began editing" : "");
        }

        let checkTimer = null;
        async function check() {
          const r = await api("/api/check", view());
          const ul = $("diagnostics");
          ul.replaceChildren();
          if (!r.data || !r.data.diagnostics) return;
          for (const d of r.data.diagnostics) {
            const li = el("li", null, d.severity);
            li.append(el("strong", where(d) + " "), el("span", d.severity + ": " + d.message + " "), el("span", "[" + d.code + "]", "code"));
            if (d.hint) li.append(el("span", "hint: " + d.hint, "diag-hint"));
            if (d.file && d.line) li.addEventListener("click", () => goTo(d));
            ul.append(li);
          }
          if (!r.data.diagnostics.length) ul.append(el("li", "No problems found.", "note"));
        }

        function goTo(loc) {
          if (loc.file === state.policy && state.tab !== "policy") showTab("policy");
          else if (loc.file === state.scenario && state.tab !== "scenario") showTab("scenario");
          const ta = $("text");
          const lines = ta.value.split("\n");
          let offset = 0;
          for (let i = 0; i < loc.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
          offset += Math.max(0, loc.column - 1);
          ta.focus();
          ta.setSelectionRange(offset, offset + 1);
        }

        function edited() {
          const p = currentPath();
          const text = $("text").value;
          if (state.docs[p] && text === state.docs[p].text) delete state.buffers[p]; else state.buffers[p] = text;
          drawGutter();
          drawEditorState();
          clearTimeout(checkTimer);
          checkTimer = setTimeout(() => { check(); score(); }, 250);
        }

        function lineDiff(a, b) {
          // The lines of a and b with a longest common subsequence kept: "-" removed, "+" added.
          const x = a.split("\n"), y = b.split("\n");
          let start = 0;
          while (start < x.length && start < y.length && x[start] === y[start]) start++;
          let ex = x.length, ey = y.length;
          while (ex > start && ey > start && x[ex - 1] === y[ey - 1]) { ex--; ey--; }
          const xs = x.slice(start, ex), ys = y.slice(start, ey);
          const n = xs.length, m = ys.length;
          const out = [];
          if (n * m > 4000000) { for (const l of xs) out.push(["-", l]); for (const l of ys) out.push(["+", l]); return { start, out }; }
          const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
          for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = xs[i] === ys[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
          let i = 0, j = 0;
          while (i < n || j < m) {
            if (i < n && j < m && xs[i] === ys[j]) { i++; j++; }
            else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) out.push(["+", ys[j++]]);
            else out.push(["-", xs[i++]]);
          }
          return { start, out };
        }

        function openSave() {
          const p = currentPath();
          if (!(p in state.buffers)) { $("editor-state").textContent = p + ": nothing to save"; return; }
          const d = lineDiff(state.docs[p].text, state.buffers[p]);
          const pre = $("save-diff");
          pre.replaceChildren();
          pre.append(el("div", "@@ from line " + (d.start + 1) + " @@"));
          for (const [k, l] of d.out) pre.append(el("div", (k === "-" ? "\u2212 " : "+ ") + l, k === "-" ? "del" : "add"));
          $("save-path").textContent = p;
          $("save-dialog").showModal();
        }

        async function save() {
          const p = currentPath();
          $("save-dialog").close();
          const r = await api("/api/save", view({ path: p, text: state.buffers[p], base: state.docs[p].sha256 }));
          if (r.status === 200) {
            state.docs[p] = { text: state.buffers[p], sha256: r.data.sha256 };
            delete state.buffers[p];
            state.version = r.data.version;
            status("Saved " + p + ".");
          } else if (r.status === 409) {
            state.docs[p].changedOnDisk = true;
            status("Not saved: " + r.data.error + ". Copy your edits, reload the file from disk, and apply them again.");
          } else if (r.status === 422) {
            status("Not saved: the project would not check with this text; fix the errors listed below.");
          } else {
            status("Not saved: " + ((r.data && r.data.error) || ("status " + r.status)));
          }
          drawEditorState();
          check();
          scoreSoon(0);
        }

        // --- files changed on disk --------------------------------------------------------------
        async function poll() {
          const r = await api("/api/version");
          if (r.data && r.data.version !== state.version) {
            state.version = r.data.version;
            await reloadDocs();
            scoreSoon(0);
            check();
          }
          setTimeout(poll, 400);
        }

        async function reloadDocs() {
          for (const p of [state.policy, state.scenario]) {
            const r = await api("/api/document?path=" + encodeURIComponent(p));
            if (r.status !== 200) continue;
            const old = state.docs[p];
            if (old && old.sha256 === r.data.sha256) continue;
            if (p in state.buffers) { state.docs[p] = Object.assign({}, old, { changedOnDisk: true }); continue; }
            state.docs[p] = { text: r.data.text, sha256: r.data.sha256 };
            if (p === currentPath()) { $("text").value = r.data.text; drawGutter(); }
            status(p + " changed on disk; the view was updated.");
          }
          drawEditorState();
        }

        // --- start ---------------------------------------------------------------------------
        async function start() {
          // The project and the first score at once: the server scores its own files when the
          // request names none.
          const [r] = await Promise.all([api("/api/project"), score()]);
          if (r.status !== 200) { status("cannot read the project: " + ((r.data && r.data.error) || r.status)); return; }
          const p = r.data;
          state.policy = p.policy.path; state.scenario = p.scenario.path; state.version = p.version;
          for (const d of [p.policy, p.scenario]) if (d.text !== undefined) state.docs[d.path] = { text: d.text, sha256: d.sha256 };
          const ps = $("policy-select"), ss = $("scenario-select");
          ps.replaceChildren(...p.policies.map(x => { const o = el("option", x); o.value = x; return o; }));
          ss.replaceChildren(...p.scenarios.map(x => { const o = el("option", x); o.value = x; return o; }));
          ps.value = state.policy; ss.value = state.scenario;
          ps.addEventListener("change", async () => { state.policy = ps.value; state.weights = {}; state.nominal = {}; weightsDrawnFor = null; await reloadDocs(); showTab(state.tab); scoreSoon(0); });
          ss.addEventListener("change", async () => { state.scenario = ss.value; state.facts = {}; await reloadDocs(); showTab(state.tab); scoreSoon(0); });
          $("reset-all").addEventListener("click", () => { state.weights = {}; state.facts = {}; weightsDrawnFor = null; scoreSoon(0); });
          $("fact-name").addEventListener("change", drawFactValues);
          $("fact-set").addEventListener("click", () => {
            const key = $("fact-candidate").value + "." + $("fact-name").value;
            const value = $("fact-value").hidden ? $("fact-number").value.trim() : $("fact-value").value;
            if (value) { state.facts[key] = value; scoreSoon(0); }
          });
          $("robustness-run").addEventListener("click", runRobustness);
          $("robustness-cancel").addEventListener("click", async () => { if (state.job) await api("/api/jobs/" + state.job, undefined, "DELETE"); });
          $("whatif-run").addEventListener("click", runWhatIf);
          $("tab-policy").addEventListener("click", () => showTab("policy"));
          $("tab-scenario").addEventListener("click", () => showTab("scenario"));
          $("text").addEventListener("input", edited);
          $("text").addEventListener("scroll", () => { $("gutter").scrollTop = $("text").scrollTop; });
          $("save").addEventListener("click", openSave);
          $("save-confirm").addEventListener("click", save);
          $("save-cancel").addEventListener("click", () => $("save-dialog").close());
          // The ranking is shown; then the editor and its check.
          showTab("scenario");
          status("Ready.");
          setTimeout(poll, 400);
        }

        document.addEventListener("DOMContentLoaded", start);

        """#
}
