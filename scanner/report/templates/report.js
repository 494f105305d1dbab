// stormproof report: filters, sorting, pagination and details for the findings table.
// Data comes from the JSON block and is only ever written with textContent, never as HTML.
(function () {
  "use strict";

  var PAGE_SIZE = 100;
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var policies = data.policies;
  var severityRank = {};
  data.severities.forEach(function (name, index) { severityRank[name] = index; });
  var statusRank = { open: 0, unknown: 1, waived: 2 };
  var findings = data.findings.map(function (f, index) {
    f.index = index;
    f.policy = policies[f.p] || { id: f.pid, title: f.pid, remediation: "", references: [], frameworks: [] };
    return f;
  });

  var state = { severity: "", policy: "", account: "", region: "", status: "", text: "", onlyNew: false,
                sortKey: "severity", sortDir: 1, page: 0 };
  var filtered = findings.slice();
  var open = {};

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function distinct(values) {
    var seen = {};
    var out = [];
    values.forEach(function (value) {
      if (value !== null && value !== undefined && !seen[value]) { seen[value] = true; out.push(value); }
    });
    return out.sort();
  }

  function fillSelect(id, values) {
    var select = document.getElementById(id);
    values.forEach(function (value) {
      var option = el("option", value);
      option.value = value;
      select.appendChild(option);
    });
  }

  fillSelect("filter-severity", data.severities.filter(function (s) {
    return findings.some(function (f) { return f.s === s; });
  }));
  fillSelect("filter-policy", distinct(findings.map(function (f) { return f.pid; })));
  fillSelect("filter-account", distinct(findings.map(function (f) { return f.a; })));
  fillSelect("filter-region", distinct(findings.map(function (f) { return f.r; })));
  fillSelect("filter-status", ["open", "waived", "unknown"].filter(function (s) {
    return findings.some(function (f) { return f.st === s; });
  }));

  function haystack(f) {
    if (f.hay === undefined) {
      f.hay = [f.pid, f.policy.title, f.id, f.arn, f.t, f.a, f.r, f.m, f.st, f.s].join("\n").toLowerCase();
    }
    return f.hay;
  }

  var sorters = {
    severity: function (f) { return severityRank[f.s]; },
    status: function (f) { return statusRank[f.st]; },
    policy: function (f) { return f.pid; },
    resource: function (f) { return f.id; },
    account: function (f) { return f.a; },
    region: function (f) { return f.r; }
  };

  function compare(a, b) {
    var key = sorters[state.sortKey];
    var x = key(a);
    var y = key(b);
    if (x < y) { return -state.sortDir; }
    if (x > y) { return state.sortDir; }
    return a.index - b.index;
  }

  function apply() {
    var terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    filtered = findings.filter(function (f) {
      if (state.severity && f.s !== state.severity) { return false; }
      if (state.policy && f.pid !== state.policy) { return false; }
      if (state.account && f.a !== state.account) { return false; }
      if (state.region && f.r !== state.region) { return false; }
      if (state.status && f.st !== state.status) { return false; }
      if (state.onlyNew && f.b !== "new") { return false; }
      if (terms.length) {
        var hay = haystack(f);
        for (var i = 0; i < terms.length; i++) { if (hay.indexOf(terms[i]) < 0) { return false; } }
      }
      return true;
    });
    filtered.sort(compare);
    var pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
    if (state.page >= pages) { state.page = pages - 1; }
    render();
  }

  function badge(text, className) { return el("span", text, "badge " + className); }

  function detailRow(f) {
    var row = el("tr", null, "detail");
    var cell = el("td");
    cell.colSpan = 8;
    var grid = el("dl", null, "detail-grid");
    function item(label, node) {
      grid.appendChild(el("dt", label));
      var dd = el("dd");
      dd.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
      grid.appendChild(dd);
    }
    item("Policy", f.pid + ": " + f.policy.title);
    item("Message", f.m);
    item("Resource", f.arn);
    item("Type", f.t);
    item("Evidence", el("pre", JSON.stringify(f.e, null, 2)));
    item("Remediation", el("pre", f.policy.remediation || "(none given)"));
    var refs = el("ul");
    (f.policy.references || []).forEach(function (ref) {
      var li = el("li");
      if (/^https:\/\/[^\s]+$/.test(ref)) {
        var link = el("a", ref);
        link.href = ref;
        link.rel = "noopener noreferrer";
        li.appendChild(link);
      } else {
        li.textContent = ref;
      }
      refs.appendChild(li);
    });
    item("References", refs.childNodes.length ? refs : "none");
    item("Frameworks", (f.policy.frameworks || []).join(", ") || "none");
    if (f.w) {
      item("Waiver", "waived by " + (f.w.owner || "?") + " until " + (f.w.expires || "?") + ": " + (f.w.reason || ""));
    } else {
      item("Waiver", "none");
    }
    item("Baseline", data.hasBaseline ? (f.b || "unknown") : "no baseline given");
    cell.appendChild(grid);
    row.appendChild(cell);
    return row;
  }

  function findingRow(f) {
    var row = el("tr", null, "finding st-" + f.st);
    row.dataset.index = String(f.index);
    var toggleCell = el("td");
    var toggle = el("button", open[f.index] ? "▾" : "▸", "toggle");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", open[f.index] ? "true" : "false");
    toggle.setAttribute("aria-label", "details");
    toggle.addEventListener("click", function () {
      open[f.index] = !open[f.index];
      render();
    });
    toggleCell.appendChild(toggle);
    row.appendChild(toggleCell);
    var sevCell = el("td");
    sevCell.appendChild(badge(f.s, "sev-" + f.s));
    row.appendChild(sevCell);
    var stCell = el("td");
    stCell.appendChild(badge(f.st, "st-" + f.st));
    if (f.b === "new") { stCell.appendChild(document.createTextNode(" ")); stCell.appendChild(badge("new", "new")); }
    row.appendChild(stCell);
    row.appendChild(el("td", f.pid));
    var res = el("td", f.id, "res");
    res.title = f.arn;
    row.appendChild(res);
    row.appendChild(el("td", f.a));
    row.appendChild(el("td", f.r));
    row.appendChild(el("td", f.m, "msg"));
    return row;
  }

  function render() {
    var body = document.getElementById("findings-body");
    var start = state.page * PAGE_SIZE;
    var page = filtered.slice(start, start + PAGE_SIZE);
    var rows = [];
    page.forEach(function (f) {
      rows.push(findingRow(f));
      if (open[f.index]) { rows.push(detailRow(f)); }
    });
    body.replaceChildren.apply(body, rows);
    var pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
    document.getElementById("findings-count").textContent = filtered.length === findings.length
      ? "Showing all " + findings.length + " findings."
      : "Showing " + filtered.length + " of " + findings.length + " findings.";
    document.getElementById("page-info").textContent = "Page " + (state.page + 1) + " of " + pages +
      (page.length ? " (" + (start + 1) + "–" + (start + page.length) + ")" : "");
    document.getElementById("page-prev").disabled = state.page === 0;
    document.getElementById("page-next").disabled = state.page >= pages - 1;
    document.querySelectorAll("button.sort").forEach(function (button) {
      if (button.dataset.key === state.sortKey) {
        button.setAttribute("aria-sort", state.sortDir > 0 ? "ascending" : "descending");
      } else {
        button.removeAttribute("aria-sort");
      }
    });
  }

  function bind(id, key, eventName) {
    var node = document.getElementById(id);
    if (!node) { return; }
    node.addEventListener(eventName || "change", function () {
      state[key] = node.type === "checkbox" ? node.checked : node.value;
      state.page = 0;
      apply();
    });
  }

  bind("filter-severity", "severity");
  bind("filter-policy", "policy");
  bind("filter-account", "account");
  bind("filter-region", "region");
  bind("filter-status", "status");
  bind("filter-text", "text", "input");
  bind("only-new", "onlyNew");

  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("filters").addEventListener("reset", function () {
    state.severity = state.policy = state.account = state.region = state.status = state.text = "";
    state.onlyNew = false;
    state.page = 0;
    window.setTimeout(apply, 0);
  });
  document.getElementById("page-prev").addEventListener("click", function () {
    if (state.page > 0) { state.page -= 1; render(); }
  });
  document.getElementById("page-next").addEventListener("click", function () {
    state.page += 1;
    apply();
  });
  document.querySelectorAll("button.sort").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.dataset.key;
      state.sortDir = state.sortKey === key ? -state.sortDir : 1;
      state.sortKey = key;
      apply();
    });
  });
  document.querySelectorAll("button.policy-link").forEach(function (button) {
    button.addEventListener("click", function () {
      var select = document.getElementById("filter-policy");
      var policy = button.dataset.policy;
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === policy; })) { return; }
      select.value = policy;
      state.policy = policy;
      state.page = 0;
      apply();
      document.getElementById("findings").scrollIntoView();
    });
  });

  apply();
}());
