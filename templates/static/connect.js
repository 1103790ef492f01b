// connect.js — makes the connect search live: results follow the typing and the tabs switch in place.
// Progressive enhancement only: without JavaScript the same page works through its GET form and links.
// The results come from the server-rendered page itself (escaped, with its CSRF forms); nothing is built here.
(function () {
  'use strict';
  var form = document.querySelector('form.search[action="/connections/search"]');
  var input = document.getElementById('conn-q');
  if (!form || !input || !window.fetch || !window.DOMParser) return;
  var timer = null;
  var seq = 0;

  function results() { return document.getElementById('conn-results'); }

  function bindTabs() {
    var box = results();
    if (!box) return;
    box.querySelectorAll('a[role="tab"]').forEach(function (tab) {
      tab.addEventListener('click', function (ev) {
        ev.preventDefault();
        box.querySelectorAll('a[role="tab"]').forEach(function (t) {
          var on = t === tab;
          t.setAttribute('aria-selected', on ? 'true' : 'false');
          if (on) t.setAttribute('aria-current', 'page'); else t.removeAttribute('aria-current');
          var panel = document.getElementById(t.id.replace('tab-', 'panel-'));
          if (panel) panel.hidden = !on;
        });
      });
    });
  }

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var selected = document.querySelector('#conn-results a[role="tab"][aria-selected="true"]');
    if (selected) params.set('tab', selected.id.replace('tab-', ''));
    var mine = ++seq;
    fetch('/connections/search?' + params.toString(), { credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html === null || mine !== seq) return;  // a newer search is on its way
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('conn-results');
        var box = results();
        if (fresh && box) {
          box.replaceWith(document.importNode(fresh, true));
          bindTabs();
        }
      })
      .catch(function () { /* the Search button still works */ });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  bindTabs();
}());
