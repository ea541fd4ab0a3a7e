// The learning-rate explorer: picks the run the controls name from the build's data
// (explorer/traces.js) and draws it. Every number it shows is text from the data file,
// written at build time from the run; the script only places things on the plots.
(() => {
  "use strict";
  const D = window.gdlessonExplorer;
  const root = document.getElementById("explorer");
  if (!D || !root) return;
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const MINUS = "\u2212";
  const text = (s) => String(s).replace(/-/g, MINUS); // as the video writes numbers
  const slider = $("ex-lr");
  const REGIME_CLASS = { smooth: "smooth", oscillating: "oscillating", divergent: "divergent" };

  // -- the controls ------------------------------------------------------------------
  slider.max = String(D.lrs.length - 1);
  const radios = D.starts.map((label, i) => {
    const item = document.createElement("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "ex-w0";
    input.id = `ex-w0-${i}`;
    input.value = String(i);
    item.append(input, ` ${text(label)}`);
    $("ex-starts").append(item);
    return input;
  });
  const [oscillate, diverge] = D.marks;
  const bands = root.querySelectorAll(".ex-band");
  [[0, oscillate], [oscillate, diverge], [diverge, 1]].forEach(([from, to], i) => {
    bands[i].style.left = `${from * 100}%`;
    bands[i].style.width = `${(to - from) * 100}%`;
  });
  D.marks.forEach((at, i) => {
    const mark = $(`ex-mark-${i}`);
    mark.style.left = `${at * 100}%`;
    mark.textContent = text(D.bounds[i]);
  });
  $("ex-bounds").textContent =
    `Below lr = ${text(D.bounds[0])} the steps go smoothly down to the minimum; above it ` +
    `they overshoot and oscillate; above lr = ${text(D.bounds[1])} they diverge.`;

  // -- the state, in the page's address ----------------------------------------------
  function pick(labels, wanted, otherwise) {
    if (wanted === null) return otherwise;
    const exact = labels.indexOf(wanted);
    if (exact >= 0) return exact;
    const v = Number(wanted);
    if (wanted.trim() === "" || !Number.isFinite(v)) return otherwise;
    let best = 0;
    labels.forEach((label, i) => {
      if (Math.abs(Number(label) - v) < Math.abs(Number(labels[best]) - v)) best = i;
    });
    return best;
  }

  function query(lr, start) {
    const q = new URLSearchParams(location.search);
    q.set("lr", D.lrs[lr]);
    q.set("w0", D.starts[start]);
    return `?${q.toString()}`;
  }

  const state = (() => {
    const q = new URLSearchParams(location.search);
    return { lr: pick(D.lrs, q.get("lr"), D.lesson[0]), start: pick(D.starts, q.get("w0"), D.lesson[1]) };
  })();

  // -- drawing -----------------------------------------------------------------------
  const W = 360, H = 250, M = { left: 58, right: 14, top: 14, bottom: 42 };

  function el(parent, name, attrs, content) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (content !== undefined) node.textContent = content;
    parent.append(node);
    return node;
  }

  function niceStep(span, target) {
    const raw = Math.max(span, 1e-12) / target;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
    return 10 * magnitude;
  }

  function ticks(lo, hi, target) {
    const step = niceStep(hi - lo, target);
    const power = Math.floor(Math.log10(step) + 1e-9);
    const quarter = Math.abs(step / 10 ** power - 2.5) < 1e-9 && step < 10; // 0.25, 2.5
    const decimals = (step < 1 ? -power : 0) + (quarter ? 1 : 0);
    const out = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) {
      const label = Math.abs(v) < step / 2 ? "0" : v.toFixed(decimals);
      out.push([v, text(label)]);
    }
    return out;
  }

  // A plot: axes from (x0, x1) and (y0, y1), ticks, titles; returns the maps to the SVG.
  function plot(svg, [x0, x1], [y0, y1], xTitle, yTitle, log) {
    svg.replaceChildren();
    const sx = (v) => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
    const sy = (v) => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
    const clip = `${svg.id}-clip`;
    el(el(svg, "clipPath", { id: clip }), "rect", {
      x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom,
    });
    el(svg, "path", { class: "axis", d: `M${M.left},${M.top}V${H - M.bottom}H${W - M.right}` });
    for (const [v, label] of ticks(x0, x1, 5)) {
      el(svg, "line", { class: "axis", x1: sx(v), x2: sx(v), y1: H - M.bottom, y2: H - M.bottom + 4 });
      el(svg, "text", { class: "tick", x: sx(v), y: H - M.bottom + 17, "text-anchor": "middle" }, label);
    }
    const yTicks = log
      ? Array.from({ length: y1 - y0 + 1 }, (_, i) => [y0 + i, `10^${y0 + i}`])
      : ticks(y0, y1, 4);
    for (const [v, label] of yTicks) {
      el(svg, "line", { class: "axis", x1: M.left - 4, x2: M.left, y1: sy(v), y2: sy(v) });
      const t = el(svg, "text", { class: "tick", x: M.left - 7, y: sy(v) + 4, "text-anchor": "end" });
      if (log) {
        t.append(document.createTextNode("10"));
        el(t, "tspan", { dy: -6, "font-size": "10px" }, text(String(v)));
      } else {
        t.textContent = label;
      }
    }
    el(svg, "text", { x: (M.left + W - M.right) / 2, y: H - 6, "text-anchor": "middle" }, xTitle);
    el(svg, "text", { x: 14, y: (M.top + H - M.bottom) / 2, "text-anchor": "middle",
      transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})` }, yTitle);
    const inside = el(svg, "g", { "clip-path": `url(#${clip})` });
    return { sx, sy, inside };
  }

  function drawCost(run) {
    const [w, loss, , , [lo, hi]] = run;
    const [c0, c1, cost] = D.curve;
    const at = (i) => c0 + (i * (c1 - c0)) / (cost.length - 1);
    const shown = cost.map((c, i) => [at(i), c]).filter(([v]) => v >= lo && v <= hi);
    const top = D.axes.costHeadroom * Math.max(...shown.map(([, c]) => c));
    const { sx, sy, inside } = plot($("ex-cost"), [lo, hi], [0, top], "w", "cost");
    el(inside, "polyline", { class: "curve", points: shown.map(([v, c]) => `${sx(v)},${sy(c)}`).join(" ") });
    const [wMin, cMin] = shown.reduce((a, b) => (b[1] < a[1] ? b : a));
    el($("ex-cost"), "circle", { class: "minimum", cx: sx(wMin), cy: sy(cMin), r: 4 });
    let off = null;
    const points = w.map((s, k) => {
      const v = Number(s), c = Number(loss[k]);
      const x = Math.min(Math.max(v, lo), hi), y = Math.min(c, top);
      if ((x !== v || y !== c) && off === null) off = [x, y];
      return [sx(x), sy(y)];
    });
    el(inside, "polyline", { class: "path", points: points.map((p) => p.join(",")).join(" ") });
    points.forEach(([x, y], k) => el(inside, "circle", { class: k === 0 ? "iterate first" : "iterate", cx: x, cy: y, r: k === w.length - 1 ? 5 : 3.5 }));
    if (off) {
      const right = sx(off[0]) > W / 2;
      el($("ex-cost"), "text", { class: "note", x: sx(off[0]) + (right ? -8 : 8), y: Math.max(sy(off[1]), M.top + 12) + 16,
        "text-anchor": right ? "end" : "start" }, "off the plot");
    }
  }

  function drawFit(run) {
    const w = run[0];
    const xMin = Math.min(...D.x), xMax = Math.max(...D.x), pad = D.axes.dataXPad * (xMax - xMin);
    const reach = D.axes.dataYReach * Math.max(...D.y.map(Math.abs));
    const x0 = xMin - pad, x1 = xMax + pad;
    const { sx, sy, inside } = plot($("ex-fit"), [x0, x1], [-reach, reach], "x", "y");
    el(inside, "line", { class: "truth", x1: sx(x0), y1: sy(D.slope * x0), x2: sx(x1), y2: sy(D.slope * x1) });
    D.x.forEach((x, i) => el(inside, "circle", { class: "point", cx: sx(x), cy: sy(D.y[i]), r: 2.3 }));
    w.forEach((s, k) => {
      const v = Number(s), last = k === w.length - 1;
      el(inside, "line", { class: last ? "fitted last" : "fitted", "stroke-opacity": last ? 1 : 0.25 + (0.5 * k) / w.length,
        x1: sx(x0), y1: sy(v * x0), x2: sx(x1), y2: sy(v * x1) });
    });
  }

  function drawLoss(run) {
    const history = run[1].slice(0, run[2].length).map(Number); // loss.item() per iteration
    const n = Math.max(history.length - 1, 1);
    const log = run[6] === 1; // the lesson's rule, applied at build time
    const y = log ? history.map((v) => Math.log10(Math.max(v, 1e-300))) : history;
    const high = Math.max(...history);
    const yr = log ? [Math.floor(Math.min(...y)), Math.ceil(Math.max(...y))] : [0, D.axes.lossHeadroom * high || 1];
    const { sx, sy, inside } = plot($("ex-loss"), [-0.03 * n, n * 1.03], yr, "iteration", "loss", log);
    el(inside, "polyline", { class: "loss", points: y.map((v, k) => `${sx(k)},${sy(v)}`).join(" ") });
    y.forEach((v, k) => el(inside, "circle", { class: "loss-point", cx: sx(k), cy: sy(v), r: 3.5 }));
  }

  // -- the readouts --------------------------------------------------------------------
  function show() {
    const { lr, start } = state;
    const run = D.runs[start][lr];
    const [w, loss, grad, step, , divergedAt] = run;
    slider.value = String(lr);
    slider.setAttribute("aria-valuetext", `${D.lrs[lr]}, ${D.regimes[lr]}`);
    $("ex-lr-value").textContent = D.lrs[lr];
    radios[start].checked = true;
    const regime = D.regimes[lr];
    const name = document.createElement("strong");
    name.id = "ex-regime-name";
    name.className = REGIME_CLASS[regime] || "other";
    name.textContent = regime;
    const words = [`: each step multiplies the error w ${MINUS} w* (w* = ${text(D.wStar)}) by ${text(D.factors[lr])}.`];
    if (divergedAt !== null) words.push(` |w| passed 10^12 at epoch ${divergedAt}: the run stops there.`);
    $("ex-regime").replaceChildren("Regime: ", name, ...words);
    const rows = w.map((_, k) => {
      const tr = document.createElement("tr");
      const cells = [String(k), w[k], loss[k], grad[k] ?? "\u2013", step[k] ?? "\u2013"];
      cells.forEach((c, i) => {
        const cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = i === 0 ? c : text(c);
        tr.append(cell);
      });
      return tr;
    });
    $("ex-rows").replaceChildren(...rows);
    drawCost(run);
    drawFit(run);
    drawLoss(run);
    const here = query(lr, start);
    $("ex-link").href = `${here}#explorer`;
    if (location.search !== here) {
      try {
        history.replaceState(null, "", here + location.hash);
      } catch (e) {
        // some browsers refuse to change a file:// address: the link still carries it
      }
    }
  }

  slider.addEventListener("input", () => {
    state.lr = Number(slider.value);
    show();
  });
  radios.forEach((input, i) =>
    input.addEventListener("change", () => {
      state.start = i;
      show();
    }),
  );
  show();
})();
