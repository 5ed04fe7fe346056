/*
 * Pizhu file:// worker shim: lets Material's search run when the site is opened from disk.
 *
 * Chromium refuses `new Worker("file:///…")`, Material's bundle catches the error and hides
 * the search box. Material's offline plugin fixes that with an iframe-worker shim from a
 * public CDN; this site makes no external requests, so this shim replaces window.Worker,
 * only on file://, with a same-page stand-in: the worker script is loaded with a <script>
 * tag and runs on the page's thread. A script written for it registers a factory
 *
 *   window.pizhuWorkerFactories[document.currentScript.src] = function (reply) {
 *     return function onMessage(data) { ...; reply(answer); };
 *   };
 *
 * instead of listening on `self` (pizhu-search-worker.js does both). Messages are passed
 * by reference, not cloned: neither side mutates what it sends. Both directions are
 * asynchronous (setTimeout), in order, and postMessage calls made before the script has
 * loaded are queued.
 *
 * Load it before Material's bundle (theme override, {% block libs %}). Plain ES2017.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof EventTarget !== "function") return;

  var factories = window.pizhuWorkerFactories = window.pizhuWorkerFactories || {};
  var scripts = {};   /* absolute URL -> Promise of the factory */

  function loadFactory(url) {
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        if (typeof factories[url] === "function") return resolve(factories[url]);
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () {
          if (typeof factories[url] === "function") resolve(factories[url]);
          else reject(new Error("pizhu: " + url + " registered no worker factory"));
        };
        script.onerror = function () {
          reject(new Error("pizhu: cannot load worker script " + url));
        };
        (document.head || document.documentElement).appendChild(script);
      });
    }
    return scripts[url];
  }

  class FileWorker extends EventTarget {
    constructor(url) {
      super();
      var worker = this;
      this.onmessage = null;
      this.onerror = null;
      this._closed = false;
      this._ready = loadFactory(new URL(String(url), document.baseURI).href)
        .then(function (factory) {
          worker._handle = factory(function (data) {
            setTimeout(function () {
              if (!worker._closed) worker._emit(new MessageEvent("message", { data: data }));
            }, 0);
          });
        })
        .catch(function (err) {
          worker._fail(err);
        });
    }

    postMessage(data) {
      var worker = this;
      this._ready.then(function () {
        setTimeout(function () {
          if (worker._closed || !worker._handle) return;
          try {
            worker._handle(data);
          } catch (err) {
            worker._fail(err);
          }
        }, 0);
      });
    }

    terminate() {
      this._closed = true;
    }

    _emit(event) {
      var handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }

    _fail(err) {
      if (typeof console !== "undefined") console.error(err);
      if (!this._closed)
        this._emit(new ErrorEvent("error", { message: String(err && err.message || err), error: err }));
    }
  }

  window.Worker = FileWorker;
})();
