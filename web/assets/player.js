// recuerdo: the interview page's player. Clicking a line's time plays the
// recording from there; the line being spoken is highlighted and kept in
// view, just below the sticky player, while "follow" is checked;
// #t=SECONDS (a deep link, to the millisecond: #t=34.947) starts there, on
// the page holding it when the transcript comes in pages. Opened from a
// search (?q=), the search's moments are marked and the previous/next
// controls play them in turn.
// Without this script the page still reads and the links still scroll.
(function () {
  "use strict";
  var media = document.getElementById("media");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".transcript .row[data-start]"));
  if (!rows.length) return;
  var follow = document.getElementById("follow");
  var player = document.querySelector(".player");
  var root = document.documentElement;
  var current = null;

  // The player's height, for the lines' scroll margin (style.css), so
  // that even the browser's own scroll to a #fragment clears it.
  function measure() {
    if (player) root.style.setProperty("--player-h", player.offsetHeight + "px");
  }

  // playerBottom is where the window's free space begins: below the
  // player when it is on screen.
  function playerBottom() {
    if (!player) return 0;
    var b = player.getBoundingClientRect();
    return b.bottom > 0 && b.top < window.innerHeight ? b.bottom : 0;
  }

  // reveal scrolls so that row sits whole between the player and the
  // window's bottom edge; a line taller than that space makes the player
  // smaller first, and then shows the line's beginning.
  function reveal(row) {
    for (var i = 0; i < 4; i++) {
      var top = playerBottom() + 4, r = row.getBoundingClientRect();
      if (r.top >= top - 1 && r.bottom <= window.innerHeight + 1) return;
      if (r.height > window.innerHeight - top && player && !player.classList.contains("small")) {
        player.classList.add("small");
        measure();
        continue;
      }
      window.scrollBy(0, r.top - top);
    }
  }

  // rowAt is the line being spoken at ms: the last starting at or before
  // it. A moment in whole seconds (an older link, #t=34) means the first
  // line starting within that second when there is one.
  function rowAt(ms, whole) {
    var found = null;
    for (var i = 0; i < rows.length; i++) {
      var start = +rows[i].dataset.start;
      if (whole && Math.floor(start / 1000) === Math.floor(ms / 1000)) return rows[i];
      if (start <= ms) found = rows[i];
      else break;
    }
    return found;
  }

  function mark(row, scroll) {
    if (row !== current) {
      if (current) { current.classList.remove("now"); current.removeAttribute("aria-current"); }
      current = row;
      if (row) {
        row.classList.add("now");
        row.setAttribute("aria-current", "true");
      }
    }
    if (row && scroll) reveal(row);
  }

  // seek moves to a line (its own start, so that the line and its
  // subtitle are the ones asked for) and plays when asked.
  function seek(row, play) {
    mark(row, true);
    if (!media || !row) return;
    // Half a millisecond in: a start written in seconds may read back a
    // hair before itself, which is still the line before.
    media.currentTime = (+row.dataset.start + 0.5) / 1000;
    if (play) {
      var p = media.play();
      if (p && p.catch) p.catch(function () {});
    }
  }

  // A long transcript comes in pages: a deep link to a moment on
  // another page asks the server for the page holding it (?t=), once
  // (the server's page for ?t=N#t=N is taken as it is).
  var pages = document.querySelector(".transcript[data-page]");

  function onPage(ms) {
    if (!pages) return true;
    var to = +pages.dataset.to;
    return ms >= +pages.dataset.from && (to < 0 || ms < to);
  }

  function fromHash() {
    var m = /^#t=(\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m) return;
    var ms = Math.round(+m[1] * 1000);
    var asked = /[?&]t=([^&]*)/.exec(location.search);
    if (pages && !(asked && asked[1] === m[1]) && !onPage(ms)) {
      var q = /[?&]q=([^&]*)/.exec(location.search);
      location.replace(location.pathname + "?t=" + m[1] + (q ? "&q=" + q[1] : "") + location.hash);
      return;
    }
    var row = rowAt(ms, m[1].indexOf(".") < 0);
    seek(row, false);
    moments.at(row);
  }

  // moments: the search's hits in this story, in time order.
  var moments = (function () {
    var nav = document.querySelector(".moments[data-hits]");
    var hits = nav && nav.dataset.hits ? nav.dataset.hits.split(",").map(Number) : [];
    var pos = nav ? nav.querySelector(".pos") : null;
    var i = -1;
    function show() {
      if (pos && i >= 0) pos.textContent = (i + 1) + " / " + hits.length + " «" + nav.dataset.q + "»";
    }
    function go(k) {
      if (!hits.length) return;
      i = (k + hits.length) % hits.length;
      var ms = hits[i];
      var t = String(ms / 1000);
      if (!onPage(ms)) {
        location.assign(location.pathname + "?q=" + encodeURIComponent(nav.dataset.q) + "&t=" + t + "#t=" + t);
        return;
      }
      history.replaceState(null, "", "#t=" + t);
      seek(rowAt(ms, false), true);
      show();
    }
    if (nav) {
      nav.addEventListener("click", function (e) {
        var a = e.target.closest ? e.target.closest("a.prev, a.next") : null;
        if (!a) return;
        e.preventDefault();
        var now = current ? +current.dataset.start : -1;
        if (a.classList.contains("next")) {
          var k = 0;
          while (k < hits.length && hits[k] <= now) k++;
          go(i >= 0 && hits[i] === now ? i + 1 : k);
        } else {
          var j = hits.length - 1;
          while (j >= 0 && hits[j] >= now) j--;
          go(i >= 0 && hits[i] === now ? i - 1 : j);
        }
      });
    }
    return {
      // first lands on the first moment, without playing: a story opened
      // from a search, at no moment in particular.
      first: function () {
        if (!hits.length || !onPage(hits[0])) return;
        i = 0;
        seek(rowAt(hits[0], false), false);
        show();
      },
      // at notes that row is the current line, for the count.
      at: function (row) {
        if (!row) return;
        var k = hits.indexOf(+row.dataset.start);
        if (k >= 0) { i = k; show(); }
      }
    };
  })();

  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest(".transcript a.time") : null;
    if (!a) return;
    var row = a.closest(".row");
    if (!row || !row.dataset.start) return;
    e.preventDefault();
    history.replaceState(null, "", "#t=" + String(+row.dataset.start / 1000));
    seek(row, true);
    moments.at(row);
  });

  if (follow) {
    follow.addEventListener("change", function () {
      if (follow.checked && current) reveal(current);
      else if (player) { player.classList.remove("small"); measure(); }
    });
  }

  if (player) {
    measure();
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        measure();
        if (current && (!follow || follow.checked)) reveal(current);
      }).observe(player);
    }
  }

  if (media) {
    media.addEventListener("timeupdate", function () {
      var row = rowAt(Math.round(media.currentTime * 1000), false);
      var moved = row !== current;
      mark(row, moved && (!follow || follow.checked));
      if (moved) moments.at(row);
    });
    // Some browsers forget a time set before they know the recording's
    // length: set it again once they do.
    if (media.readyState < 1) {
      media.addEventListener("loadedmetadata", function () {
        if (current) media.currentTime = (+current.dataset.start + 0.5) / 1000;
      }, { once: true });
    }
  }
  window.addEventListener("hashchange", fromHash);
  // The browser scrolls to a #fragment itself as the page loads: land
  // on the moment again once it has.
  window.addEventListener("load", function () { if (current) reveal(current); });
  if (/^#t=/.test(location.hash)) fromHash();
  else moments.first();
})();
