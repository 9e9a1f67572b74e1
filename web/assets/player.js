// recuerdo: the interview page's player. Clicking a line's time plays the
// recording from there; the line being spoken is highlighted and kept in
// view while "follow" is checked; #t=SECONDS (a deep link) starts there,
// on the page holding it when the transcript comes in pages.
// Without this script the page still reads and the links still scroll.
(function () {
  "use strict";
  var media = document.getElementById("media");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".transcript .row[data-start]"));
  if (!rows.length) return;
  var follow = document.getElementById("follow");
  var current = null;

  function rowAt(ms) {
    var found = null;
    for (var i = 0; i < rows.length; i++) {
      if (+rows[i].dataset.start <= ms) found = rows[i];
      else break;
    }
    return found;
  }

  function mark(row, scroll) {
    if (row === current) return;
    if (current) { current.classList.remove("now"); current.removeAttribute("aria-current"); }
    current = row;
    if (!row) return;
    row.classList.add("now");
    row.setAttribute("aria-current", "true");
    if (scroll) row.scrollIntoView({ block: "center" });
  }

  function seek(seconds, play) {
    var row = rowAt(seconds * 1000);
    mark(row, true);
    if (!media) return;
    media.currentTime = seconds;
    if (play) {
      var p = media.play();
      if (p && p.catch) p.catch(function () {});
    }
  }

  // A long transcript comes in pages: a deep link to a moment on
  // another page asks the server for the page holding it (?t=), once
  // (the server's page for ?t=N#t=N is taken as it is).
  var pages = document.querySelector(".transcript[data-page]");

  function fromHash() {
    var m = /^#t=(\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m) return;
    var asked = /[?&]t=([^&]*)/.exec(location.search);
    if (pages && !(asked && asked[1] === m[1])) {
      var ms = +m[1] * 1000, to = +pages.dataset.to;
      if (ms < +pages.dataset.from || (to >= 0 && ms >= to)) {
        location.replace(location.pathname + "?t=" + m[1] + location.hash);
        return;
      }
    }
    seek(+m[1], false);
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest(".transcript a.time") : null;
    if (!a) return;
    var row = a.closest(".row");
    if (!row || !row.dataset.start) return;
    e.preventDefault();
    var s = +row.dataset.start / 1000;
    history.replaceState(null, "", "#t=" + Math.floor(s));
    seek(s, true);
  });

  if (media) {
    media.addEventListener("timeupdate", function () {
      mark(rowAt(media.currentTime * 1000), !follow || follow.checked);
    });
    if (media.readyState >= 1) fromHash();
    else media.addEventListener("loadedmetadata", fromHash, { once: true });
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
