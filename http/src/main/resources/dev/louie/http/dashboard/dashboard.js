// The Louie dashboard: polls dashboard/api/state every POLL_MS and renders it. No library.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var key = sessionStorage.getItem("louie.dashboard.key");
  var timer = null;
  var state = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function request(method, path) {
    var headers = {};
    if (key) { headers["X-API-Key"] = key; }
    return fetch(path, { method: method, headers: headers, cache: "no-store" });
  }

  function ms(v) {
    if (v === null || v === undefined) { return "–"; }
    if (v < 10) { return (Math.round(v * 10) / 10) + " ms"; }
    if (v < 1000) { return Math.round(v) + " ms"; }
    var s = v / 1000;
    if (s < 60) { return s.toFixed(1) + " s"; }
    if (s < 3600) { return Math.floor(s / 60) + " min " + Math.floor(s % 60) + " s"; }
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function num(v) { return v === null || v === undefined ? "–" : String(v); }

  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : "–"; }

  function rows(tableId, items, cells, emptyText) {
    var body = $(tableId).tBodies[0];
    body.textContent = "";
    if (!items.length) {
      var tr = el("tr");
      var td = el("td", emptyText, "empty");
      td.colSpan = $(tableId).tHead.rows[0].cells.length;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    items.forEach(function (item) {
      var tr = el("tr");
      if (item.id) { tr.dataset.id = item.id; }
      cells(item).forEach(function (c) {
        if (c instanceof Node) { tr.appendChild(c); } else { tr.appendChild(el("td", c)); }
      });
      body.appendChild(tr);
    });
  }

  function actionCell(buttons) {
    var td = el("td", null, "action");
    buttons.forEach(function (b) {
      // read-only: only what reads (inspect) is offered
      if (state.readOnly && b[1] !== "inspect") { return; }
      var button = el("button", b[0], b[1]);
      button.addEventListener("click", b[2]);
      td.appendChild(button);
    });
    return td;
  }

  function act(method, path) {
    return request(method, path).then(function (r) {
      if (!r.ok) {
        return r.json().then(function (p) { throw new Error(p.detail || ("HTTP " + r.status)); });
      }
    }).then(poll).catch(function (e) { status("action failed: " + e.message, true); });
  }

  function enc(s) { return encodeURIComponent(s); }

  function inspect(d) {
    request("GET", "dashboard/api/dead/" + enc(d.queue) + "/" + enc(d.id)).then(function (r) { return r.json(); }).then(function (b) {
      var pre = $("dead-body");
      pre.hidden = false;
      pre.textContent = "dead letter " + b.id + " of queue " + b.queue + "\nreason: " + b.reason + "\ndeliveries: " + b.deliveries
        + "\nat: " + b.at + "\n\n" + b.body;
    });
  }

  function chart(minutes) {
    var svg = $("chart");
    var NS = "http://www.w3.org/2000/svg";
    svg.textContent = "";
    var max = 1;
    minutes.forEach(function (m) { max = Math.max(max, m.completed + m.failed); });
    var w = 600 / minutes.length;
    minutes.forEach(function (m, i) {
      var hc = 115 * m.completed / max;
      var hf = 115 * m.failed / max;
      [["c", hc, 120 - hc], ["f", hf, 120 - hc - hf]].forEach(function (p) {
        if (p[1] <= 0) { return; }
        var r = document.createElementNS(NS, "rect");
        r.setAttribute("class", p[0]);
        r.setAttribute("x", (i * w + 1).toFixed(1));
        r.setAttribute("width", (w - 2).toFixed(1));
        r.setAttribute("y", p[2].toFixed(1));
        r.setAttribute("height", p[1].toFixed(1));
        var t = document.createElementNS(NS, "title");
        t.textContent = time(new Date(m.start).toISOString()) + ": " + m.completed + " completed, " + m.failed + " failed";
        r.appendChild(t);
        svg.appendChild(r);
      });
    });
    $("chart-max").textContent = "(scale: " + max + " per minute)";
  }

  function batchers(list) {
    $("batchers-section").hidden = list.length === 0;
    var box = $("batchers");
    box.textContent = "";
    list.forEach(function (b) {
      var div = el("div", null, "batcher");
      div.dataset.name = b.name;
      div.appendChild(el("h3", b.name));
      var max = 1;
      b.batchSizes.forEach(function (s) { max = Math.max(max, s.batches); });
      var bars = el("div", null, "bars");
      var labels = el("div", null, "bars-labels");
      b.batchSizes.forEach(function (s) {
        var bar = el("div");
        bar.style.height = Math.round(60 * s.batches / max) + "px";
        bar.title = s.rows + " rows: " + s.batches + " batches";
        bars.appendChild(bar);
        labels.appendChild(el("span", s.rows));
      });
      div.appendChild(bars);
      div.appendChild(labels);
      div.appendChild(el("div", "batches " + b.batches + ", requests " + b.requests + ", rejected " + b.rejected + ", expired " + b.expired, "figures"));
      div.appendChild(el("div", "queue wait p50 " + ms(b.p50WaitMs) + ", p99 " + ms(b.p99WaitMs)));
      div.appendChild(el("div", "execution p50 " + ms(b.p50ExecutionMs) + ", p99 " + ms(b.p99ExecutionMs)));
      box.appendChild(div);
    });
  }

  function render(s) {
    state = s;
    document.body.classList.toggle("readonly", s.readOnly);
    $("app").textContent = s.app + (s.readOnly ? " (read-only)" : "");
    var h = s.header;
    $("h-pending").textContent = num(h.pending);
    $("h-pending-queues").textContent = s.queues.map(function (q) { return q.queue + " " + q.pending; }).join(", ");
    $("h-running").textContent = h.running + " / " + h.capacity;
    $("h-oldest").textContent = ms(h.oldestPendingAgeMs);
    $("h-completed").textContent = num(h.completedLastHour);
    $("h-failed").textContent = num(h.failedLastHour);
    $("h-dead").textContent = num(h.dead);
    $("h-consumers").textContent = h.consumersAlive + (h.consumers > h.consumersAlive ? " (" + (h.consumers - h.consumersAlive) + " silent)" : "");
    chart(s.minutes);
    rows("queues", s.queues, function (q) {
      return [q.queue, q.pending, q.scheduled, q.running, q.dead, ms(q.oldestAgeMs)];
    }, "no queues");
    rows("tasks", s.tasks, function (t) {
      return [t.task, t.runs, t.failures, t.retries, ms(t.p50Duration), ms(t.p95Duration), ms(t.p50Wait), ms(t.p95Wait)];
    }, "nothing finished in this process yet");
    batchers(s.batchers);
    rows("dead", s.deadLetters, function (d) {
      return [d.id, d.task || "?", d.queue, d.reason, d.deliveries, time(d.at), actionCell([
        ["inspect", "inspect", function () { inspect(d); }],
        ["requeue", "requeue", function () { act("POST", "dashboard/api/dead/" + enc(d.queue) + "/" + enc(d.id) + "/requeue"); }],
        ["delete", "delete", function () { act("DELETE", "dashboard/api/dead/" + enc(d.queue) + "/" + enc(d.id)); }]])];
    }, "no dead letters");
    var revoke = function (t) { return actionCell([["revoke", "revoke", function () { act("POST", "dashboard/api/tasks/" + enc(t.id) + "/revoke"); }]]); };
    rows("pending", s.pending, function (t) {
      return [t.id, t.task || "?", t.queue, t.priority, time(t.enqueuedAt), t.deliveries, revoke(t)];
    }, "nothing pending");
    rows("scheduled", s.scheduled, function (t) {
      return [t.id, t.task || "?", t.queue, time(t.eta), revoke(t)];
    }, "nothing scheduled");
    rows("consumers", s.consumers, function (c) {
      return [c.id, c.host, c.pid, c.busy + " / " + c.workers, c.queues.join(", "), ms(c.lastSeenAgoMs) + " ago", c.alive ? "alive" : "silent"];
    }, "no consumer has a heartbeat in the storage");
  }

  function status(text, error) {
    var s = $("status");
    s.textContent = text;
    s.classList.toggle("error", !!error);
  }

  function poll() {
    return request("GET", "dashboard/api/state").then(function (r) {
      if (r.status === 401 || r.status === 403) {
        return r.json().then(function (p) {
          $("main").hidden = true;
          $("login").hidden = false;
          $("login-message").textContent = p.detail || "";
          status("needs an API key", true);
        });
      }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json().then(function (s) {
        $("login").hidden = true;
        $("main").hidden = false;
        render(s);
        status("updated " + new Date().toLocaleTimeString());
      });
    }).catch(function (e) { status("cannot reach the server: " + e.message, true); });
  }

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    key = $("key").value;
    sessionStorage.setItem("louie.dashboard.key", key);
    poll();
  });

  poll();
  timer = setInterval(poll, POLL_MS);
  window.louieDashboard = { poll: poll, stop: function () { clearInterval(timer); } };
})();
