/* ukmlearn: small enhancements on top of pages that work without JavaScript.
   - registers the service worker (offline re-reading, /sw.js);
   - data saver: a tapped picture placeholder loads its picture in place;
   - "Save for reading offline": stores a module's lessons and pictures;
   - forms marked data-queue (quiz answers, task text, "done") typed while offline are kept
     on the device and sent once when the connection returns: the idempotency key the server
     already knows makes a second delivery of the same answers harmless. */
(function () {
  "use strict";
  var QUEUE = "ukm-queue";
  var USED_KEYS = "ukm-used-keys";
  var PAGES = "pages-v1";
  var PICTURES = "pictures-v1";
  var body = document.body;
  var sending = false;

  function text(name) {
    return body.getAttribute("data-t-" + name) || "";
  }

  function load(name) {
    try {
      return JSON.parse(localStorage.getItem(name) || "[]");
    } catch (error) {
      return [];
    }
  }

  function store(name, value) {
    localStorage.setItem(name, JSON.stringify(value));
  }

  function status(message, kind, link) {
    var box = document.getElementById("offline-status");
    if (!box) return;
    box.textContent = message;
    box.className = "note" + (kind ? " " + kind : "");
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = " " + link.text;
      box.appendChild(a);
    }
    box.hidden = !message;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  // A key is used once: a page kept offline still carries the key it was rendered with, so
  // an answer queued from it after that key was sent gets a new one instead of being taken
  // for the first. Online submits keep their key (a double tap must stay one attempt).
  function claimKey(form, renew) {
    var field = form.querySelector("[name=idempotency_key]");
    if (!field) return;
    var used = load(USED_KEYS);
    if (renew && used.indexOf(field.value) !== -1) field.value = newKey();
    if (used.indexOf(field.value) === -1) used.push(field.value);
    store(USED_KEYS, used.slice(-200));
  }

  // --- Offline queue -----------------------------------------------------------------

  function pendingNote() {
    var queue = load(QUEUE);
    var waiting = queue.filter(function (item) { return item.state === "waiting"; }).length;
    if (waiting) status(text("waiting") + " " + waiting, "");
    var stuck = queue.filter(function (item) {
      return item.state === "failed" && item.page === location.pathname;
    });
    stuck.forEach(restore);
  }

  function restore(item) {
    // Answers the server refused (a changed quiz, an expired form): put them back in the
    // form so nothing typed is lost, and let the learner send them again.
    var form = document.querySelector('form[action="' + item.action + '"]');
    if (!form) return;
    new URLSearchParams(item.body).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "idempotency_key") return;
      var fields = form.querySelectorAll('[name="' + name + '"]');
      fields.forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") {
          if (field.value === value) field.checked = true;
        } else {
          field.value = value;
        }
      });
    });
    store(QUEUE, load(QUEUE).filter(function (other) { return other.id !== item.id; }));
    status(text("refused"), "warn");
  }

  function queueForm(form) {
    claimKey(form, true);
    var data = new FormData(form);
    var photos = false;
    var params = new URLSearchParams();
    data.forEach(function (value, name) {
      if (typeof value === "string") params.append(name, value);
      else if (value && value.size) photos = true;
    });
    var queue = load(QUEUE);
    queue.push({
      id: newKey(),
      action: form.getAttribute("action"),
      page: location.pathname,
      body: params.toString(),
      state: "waiting",
      at: Date.now(),
    });
    store(QUEUE, queue);
    var note = document.createElement("p");
    note.className = "note";
    note.setAttribute("role", "status");
    note.textContent = text("queued") + (photos ? " " + text("nophotos") : "");
    form.replaceWith(note);
  }

  function send() {
    if (sending || !navigator.onLine) return;
    var queue = load(QUEUE).filter(function (item) { return item.state === "waiting"; });
    if (!queue.length) return;
    sending = true;
    var item = queue[0];
    fetch(item.action, {
      method: "POST",
      body: item.body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (response) {
      var all = load(QUEUE);
      if (response.url.indexOf("/accounts/login/") !== -1) {
        // Signed out meanwhile: keep the answers until the learner signs in again.
        status(text("signin"), "warn");
        sending = false;
        return;
      }
      if (response.ok) {
        store(QUEUE, all.filter(function (other) { return other.id !== item.id; }));
        status(text("sent"), "ok", { href: response.url, text: text("see") });
      } else {
        all.forEach(function (other) { if (other.id === item.id) other.state = "failed"; });
        store(QUEUE, all);
        status(text("failed"), "warn", { href: item.page, text: text("open") });
      }
      sending = false;
      send();
    }, function () {
      // Still no connection: the answers stay queued for the next try.
      sending = false;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-queue")) return;
    if (navigator.onLine) {
      claimKey(form, false);
      return;
    }
    event.preventDefault();
    queueForm(form);
  });
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { status(text("offline"), ""); });

  // --- Data saver: tap to load a picture ----------------------------------------------

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.ph-load");
    if (!link) return;
    var holder = link.parentNode;
    var template = holder.querySelector("template");
    if (!template) return;
    event.preventDefault();
    holder.replaceWith(template.content.cloneNode(true));
  });

  // --- Save a module for reading offline ----------------------------------------------

  function savePack(button) {
    var label = button.textContent;
    button.disabled = true;
    button.textContent = button.getAttribute("data-saving");
    fetch(button.getAttribute("data-pack"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (pack) {
        return Promise.all([caches.open(PAGES), caches.open(PICTURES)]).then(function (stores) {
          var jobs = pack.pages.map(function (url) {
            return fetch(url, { credentials: "same-origin", headers: { "X-Offline-Save": "1" } })
              .then(function (response) {
                // A lesson that sends elsewhere (a survey first) is not kept.
                if (response.ok && !response.redirected) return stores[0].put(url, response);
              });
          }).concat(pack.pictures.map(function (url) {
            return stores[1].add(url);
          }));
          return Promise.all(jobs);
        });
      })
      .then(function () {
        button.textContent = button.getAttribute("data-saved");
      }, function () {
        button.disabled = false;
        button.textContent = label;
        status(button.getAttribute("data-failed"), "warn");
      });
  }

  if ("caches" in window && "serviceWorker" in navigator) {
    document.querySelectorAll("[data-pack]").forEach(function (button) {
      button.parentNode.hidden = false;
      button.addEventListener("click", function () { savePack(button); });
    });
  }

  // --- The offline page lists what can be read ----------------------------------------

  var list = document.getElementById("offline-pages");
  if (list && "caches" in window) {
    caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.map(function (request) {
          return cache.match(request).then(function (response) { return response.text(); })
            .then(function (html) {
              var match = /<title>([^<]*)<\/title>/.exec(html);
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = new URL(request.url).pathname;
              var title = document.createElement("textarea");
              title.innerHTML = match ? match[1] : a.href;
              a.textContent = title.value;
              li.appendChild(a);
              list.appendChild(li);
            });
        }));
      });
    });
  }

  if ("serviceWorker" in navigator) {
    // The worker script may come from the HTTP cache (an hour): checking it for a new
    // version after every page would cost a download of it each time.
    navigator.serviceWorker.register("/sw.js", { updateViaCache: "all" }).catch(function () {});
  }
  if (!navigator.onLine) status(text("offline"), "");
  pendingNote();
  send();
})();
