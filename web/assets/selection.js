// recuerdo: a selection's page plays its moments in order, each from its
// start to its end, then the next; previous/next move between them, and a
// moment's time plays it. The moment playing is marked and kept in view
// below the player. Without this script the page still reads, and each
// moment's time links to it in its story.
(function () {
  "use strict";
  var media = document.getElementById("media");
  var list = Array.prototype.slice.call(document.querySelectorAll(".selection .moment[data-start]"));
  if (!media || !list.length) return;
  var player = document.querySelector(".player");
  var pos = document.querySelector(".player .pos");
  var i = -1;

  function reveal(el) {
    for (var k = 0; k < 3; k++) {
      var top = (player ? Math.max(0, player.getBoundingClientRect().bottom) : 0) + 4;
      var r = el.getBoundingClientRect();
      if (r.top >= top - 1 && r.bottom <= window.innerHeight + 1) return;
      window.scrollBy(0, r.top - top);
    }
  }

  // play moves to moment k (skipping those without a recording) and plays it.
  function play(k, step) {
    step = step || 1;
    while (k >= 0 && k < list.length && !list[k].dataset.src) k += step;
    if (k < 0 || k >= list.length) { media.pause(); return; }
    if (i >= 0) { list[i].classList.remove("now"); list[i].removeAttribute("aria-current"); }
    i = k;
    var m = list[i];
    m.classList.add("now");
    m.setAttribute("aria-current", "true");
    if (pos) pos.textContent = (i + 1) + " / " + list.length;
    reveal(m);
    var start = (+m.dataset.start + 0.5) / 1000;
    // A recording without picture needs no screen.
    media.classList.toggle("audio", !!m.dataset.audio);
    var src = new URL(m.dataset.src, location.href).href;
    if (media.src !== src) {
      media.src = src;
      media.addEventListener("loadedmetadata", function () { media.currentTime = start; }, { once: true });
    } else {
      media.currentTime = start;
    }
    var p = media.play();
    if (p && p.catch) p.catch(function () {});
  }

  media.addEventListener("timeupdate", function () {
    if (i < 0) return;
    var end = +list[i].dataset.end / 1000;
    if (media.currentTime >= end) play(i + 1);
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest(".player a.prev, .player a.next, .selection .moment a.time") : null;
    if (!a) return;
    e.preventDefault();
    if (a.classList.contains("next")) play(i + 1);
    else if (a.classList.contains("prev")) play(Math.max(0, i - 1), -1);
    else play(list.indexOf(a.closest(".moment")));
  });
  if (/^#m-\d+$/.test(location.hash)) {
    var el = document.getElementById(location.hash.slice(1));
    if (el) reveal(el);
  }
})();
