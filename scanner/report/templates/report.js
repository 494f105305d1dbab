// stormproof report: filters, sorting, pagination and details for the findings table.
// Data comes from the JSON block and is only ever written with textContent, never as HTML.
// The view (filters, sort, page) lives in the URL fragment, "#findings?severity=high&zone=…",
// so a link or a reload shows the same findings; chart bars are plain links to such fragments.
(function () {
  "use strict";

  document.documentElement.classList.remove("no-js");

  var PAGE_SIZE = 100;
  var STATE_PREFIX = "#findings?";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var policies = data.policies;
  var severityRank = {};
  data.severities.forEach(function (name, index) { severityRank[name] = index; });
  var statusRank = { open: 0, unknown: 1, waived: 2 };
  var findings = data.findings.map(function (f, index) {
    f.index = index;
    f.policy = policies[f.p] || { id: f.pid, title: f.pid, remediation: "", references: [], frameworks: [] };
    f.z = f.z || [];
    f.tg = f.tg || {};
    f.zoneKeys = f.z.map(function (z) { return zoneKey(z[0], z[1]); });
    f.zoneText = f.z.map(function (z) { return z[0]; }).join(", ");
    return f;
  });

  // Filter fields, in the order the fragment lists them; "new" and the sort are kept too.
  var FIELDS = ["severity", "policy", "account", "region", "zone", "status", "tag", "text"];
  var CONTROLS = { severity: "filter-severity", policy: "filter-policy", account: "filter-account",
                   region: "filter-region", zone: "filter-zone", status: "filter-status",
                   tag: "filter-tag", text: "filter-text" };
  var state = blankState();
  var filtered = findings.slice();
  var open = {};

  function blankState() {
    return { severity: "", policy: "", account: "", region: "", zone: "", status: "", tag: "", text: "",
             onlyNew: false, sortKey: "severity", sortDir: 1, page: 0 };
  }

  function zoneKey(name, id) { return id ? name + " (" + id + ")" : String(name); }

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
      if (value !== null && value !== undefined && value !== "" && !seen[value]) { seen[value] = true; out.push(value); }
    });
    return out.sort();
  }

  function fillSelect(id, values, label) {
    var select = document.getElementById(id);
    values.forEach(function (value) {
      var option = el("option", label ? label(value) : value);
      option.value = value;
      select.appendChild(option);
    });
  }

  var lowest = data.severities[data.severities.length - 1];
  fillSelect("filter-severity", data.severities.filter(function (s) { return s !== lowest; }), function (s) {
    return s === data.severities[0] ? s + " only" : s + " and above";
  });
  fillSelect("filter-policy", distinct(findings.map(function (f) { return f.pid; })));
  fillSelect("filter-account", distinct(findings.map(function (f) { return f.a; })));
  fillSelect("filter-region", distinct(findings.map(function (f) { return f.r; })));
  fillSelect("filter-zone", distinct([].concat.apply([], findings.map(function (f) { return f.zoneKeys; }))));
  fillSelect("filter-status", ["open", "waived", "unknown"].filter(function (s) {
    return findings.some(function (f) { return f.st === s; });
  }));
  var tagList = document.getElementById("tag-values");
  distinct([].concat.apply([], findings.map(function (f) {
    return Object.keys(f.tg).map(function (key) { return key + "=" + f.tg[key]; });
  }))).slice(0, 500).forEach(function (pair) {
    var option = el("option");
    option.value = pair;
    tagList.appendChild(option);
  });

  function haystack(f) {
    if (f.hay === undefined) {
      var zones = f.z.map(function (z) { return z[0] + " " + (z[1] || ""); }).join(" ");
      var tags = Object.keys(f.tg).map(function (key) { return key + "=" + f.tg[key]; }).join(" ");
      f.hay = [f.pid, f.policy.title, f.id, f.arn, f.t, f.a, f.r, f.m, f.st, f.s, f.n || "",
               zones, (f.sn || []).join(" "), tags].join("\n").toLowerCase();
    }
    return f.hay;
  }

  function tagMatches(f, wanted) {
    var at = wanted.indexOf("=");
    var key = at < 0 ? wanted : wanted.slice(0, at);
    if (!Object.prototype.hasOwnProperty.call(f.tg, key)) { return false; }
    return at < 0 || f.tg[key] === wanted.slice(at + 1);
  }

  var sorters = {
    severity: function (f) { return severityRank[f.s]; },
    status: function (f) { return statusRank[f.st]; },
    policy: function (f) { return f.pid; },
    resource: function (f) { return f.id; },
    account: function (f) { return f.a; },
    region: function (f) { return f.r; },
    zone: function (f) { return f.zoneText; }
  };

  function compare(a, b) {
    var key = sorters[state.sortKey] || sorters.severity;
    var x = key(a);
    var y = key(b);
    if (x < y) { return -state.sortDir; }
    if (x > y) { return state.sortDir; }
    return a.index - b.index;
  }

  // --- the URL fragment --------------------------------------------------------------
  function fragment() {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) { params.set(name, state[name]); } });
    if (state.onlyNew) { params.set("new", "1"); }
    if (state.sortKey !== "severity" || state.sortDir !== 1) {
      params.set("sort", (state.sortDir < 0 ? "-" : "") + state.sortKey);
    }
    if (state.page) { params.set("page", String(state.page + 1)); }
    var text = params.toString();
    return text ? STATE_PREFIX + text : "";
  }

  function readFragment() {
    var hash = window.location.hash;
    if (hash.indexOf(STATE_PREFIX) !== 0) { return false; }
    var params = new URLSearchParams(hash.slice(STATE_PREFIX.length));
    state = blankState();
    FIELDS.forEach(function (name) { state[name] = params.get(name) || ""; });
    state.onlyNew = params.get("new") === "1";
    var sort = params.get("sort") || "";
    if (sort) {
      state.sortDir = sort.charAt(0) === "-" ? -1 : 1;
      state.sortKey = sort.replace(/^-/, "");
    }
    state.page = Math.max(0, (parseInt(params.get("page"), 10) || 1) - 1);
    syncControls();
    return true;
  }

  function syncControls() {
    FIELDS.forEach(function (name) {
      var node = document.getElementById(CONTROLS[name]);
      if (!node) { return; }
      if (node.tagName === "SELECT" && state[name] &&
          !Array.prototype.some.call(node.options, function (o) { return o.value === state[name]; })) {
        var option = el("option", state[name]);  // a view linked from elsewhere: keep it visible
        option.value = state[name];
        node.appendChild(option);
      }
      node.value = state[name];
    });
    var onlyNew = document.getElementById("only-new");
    if (onlyNew) { onlyNew.checked = state.onlyNew; }
  }

  function remember() {
    var wanted = fragment();
    var current = window.location.hash.indexOf(STATE_PREFIX) === 0 ? window.location.hash : "";
    if (wanted === current) { return; }
    var url = window.location.href.split("#")[0] + (wanted || "#findings");
    try {
      window.history.replaceState(null, "", url);
    } catch (error) {
      window.location.replace(url);
    }
  }

  // --- filtering and drawing ---------------------------------------------------------
  function apply() {
    var terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    var threshold = state.severity ? severityRank[state.severity] : undefined;
    var tag = state.tag.trim();
    filtered = findings.filter(function (f) {
      if (threshold !== undefined && !(severityRank[f.s] <= threshold)) { return false; }
      if (state.policy && f.pid !== state.policy) { return false; }
      if (state.account && f.a !== state.account) { return false; }
      if (state.region && f.r !== state.region) { return false; }
      if (state.zone && f.zoneKeys.indexOf(state.zone) < 0) { return false; }
      if (state.status && f.st !== state.status) { return false; }
      if (state.onlyNew && f.b !== "new") { return false; }
      if (tag && !tagMatches(f, tag)) { return false; }
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
    remember();
  }

  function badge(text, className) { return el("span", text, "badge " + className); }

  function detailRow(f) {
    var row = el("tr", null, "detail");
    var cell = el("td");
    cell.colSpan = 9;
    var grid = el("dl", null, "detail-grid");
    function item(label, node) {
      grid.appendChild(el("dt", label));
      var dd = el("dd");
      dd.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
      grid.appendChild(dd);
    }
    item("Policy", f.pid + ": " + f.policy.title);
    item("Message", f.m);
    item("Resource", f.arn + (f.n ? " (" + f.n + ")" : ""));
    item("Type", f.t);
    item("Zones", f.z.length ? f.z.map(function (z) { return zoneKey(z[0], z[1]); }).join(", ") : "none (regional)");
    item("Subnets", (f.sn || []).join(", ") || "none");
    var tagKeys = Object.keys(f.tg);
    item("Tags", tagKeys.length ? tagKeys.map(function (key) { return key + "=" + f.tg[key]; }).join(", ") : "none");
    item("Evidence", el("pre", JSON.stringify(f.e, null, 2)));
    item("Remediation", el("pre", remediation(f) || "(none given)"));
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

  // A finding's remediation travels as [prefix length, middle, suffix length] against its
  // policy's first one (see html.py); without one, the policy's generic text.
  function remediation(f) {
    var r = f.rem;
    var base = (data.remediationBases || {})[f.pid];
    if (!r || base === undefined) { return f.policy.remediation; }
    return base.slice(0, r[0]) + r[1] + base.slice(base.length - r[2]);
  }

  function cell(text, label, className) {
    var node = el("td", text, className);
    node.setAttribute("data-label", label);
    return node;
  }

  function findingRow(f) {
    var row = el("tr", null, "finding st-" + f.st);
    row.dataset.index = String(f.index);
    var toggleCell = el("td", null, "toggle-cell");
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
    var sevCell = cell(null, "Severity", "sev");
    sevCell.appendChild(badge(f.s, "sev-" + f.s));
    row.appendChild(sevCell);
    var stCell = cell(null, "Status", "st");
    stCell.appendChild(badge(f.st, "st-" + f.st));
    if (f.b === "new") { stCell.appendChild(document.createTextNode(" ")); stCell.appendChild(badge("new", "new")); }
    row.appendChild(stCell);
    row.appendChild(cell(f.pid, "Policy", "pol"));
    var res = cell(f.id, "Resource", "res");
    res.title = f.arn;
    row.appendChild(res);
    row.appendChild(cell(f.a, "Account", "acct"));
    row.appendChild(cell(f.r, "Region", "region"));
    var zones = cell(f.zoneText || "—", "Zone", "zone");
    zones.title = f.z.map(function (z) { return zoneKey(z[0], z[1]); }).join(", ");
    row.appendChild(zones);
    row.appendChild(cell(f.m, "Message", "msg"));
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
  bind("filter-zone", "zone");
  bind("filter-status", "status");
  bind("filter-tag", "tag", "input");
  bind("filter-text", "text", "input");
  bind("only-new", "onlyNew");

  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("filters").addEventListener("reset", function () {
    state = blankState();
    window.setTimeout(apply, 0);
  });
  document.getElementById("page-prev").addEventListener("click", function () {
    if (state.page > 0) { state.page -= 1; render(); remember(); }
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

  // Links to a findings view (chart bars, policy ids) and to a zone map (its index).
  window.addEventListener("hashchange", function () {
    if (readFragment()) {
      apply();
      document.getElementById("findings").scrollIntoView();
    } else {
      openZoneMap(window.location.hash.slice(1));
    }
  });

  function openZoneMap(anchor) {
    var target = anchor ? document.getElementById(anchor) : null;
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView();
    }
  }

  if (!readFragment()) { openZoneMap(window.location.hash.slice(1)); }
  apply();
}());
