/* The meeting screen (templates/meeting/screen.html): asks every two seconds whether the text on
   the table changed since the revision shown (204: no), replaces the room when it did and brings
   the paragraph changed into view; keeps the clock moving in the meeting's zone; full screen. */
(function () {
  "use strict";
  var EVERY_MS = 2000;
  var room = document.getElementById("room");
  var notice = document.querySelector(".room-notice");
  if (!room) { return; }

  function say(words) {
    notice.textContent = words || "";
    notice.hidden = !words;
  }

  function showChange() {
    var changed = room.querySelector(".room-changed");
    if (changed) { changed.scrollIntoView({ block: "center" }); }
  }

  // The bar stays put; the title and version label it shows come with each new room.
  function showLabel() {
    var title = document.querySelector(".room-bar-title");
    var version = document.querySelector(".room-bar-version");
    var head = room.querySelector(".room-head");
    if (title && version && head) {
      title.textContent = head.dataset.barTitle;
      version.textContent = head.dataset.barVersion;
    }
  }

  function poll() {
    var url = new URL(room.dataset.live, window.location.href);
    url.searchParams.set("since", room.dataset.revision);
    fetch(url.toString(), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        var revision = response.headers.get("X-Room-Revision");
        if (!revision) {  // the login page, or a refusal: the room shown stays
          say(response.redirected
            ? "Your login has ended: log in again and reopen this screen."
            : "This screen cannot be updated (" + response.status + "): trying again…");
          return null;
        }
        say("");
        if (response.status !== 200) { return null; }
        return response.text().then(function (html) {
          room.innerHTML = html;
          room.dataset.revision = revision;
          showLabel();
          showChange();
        });
      })
      .catch(function () { say("Connection lost: trying again…"); })
      .then(function () { window.setTimeout(poll, EVERY_MS); });
  }

  function startClock() {
    var clock = document.querySelector(".room-clock");
    var time = clock && clock.querySelector("time");
    if (!time) { return; }
    var offset = Date.parse(clock.dataset.now) - Date.now();
    var format;
    try {
      format = new Intl.DateTimeFormat("en-GB", {
        timeZone: clock.dataset.zone, hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      });
    } catch (error) {
      return;  // a zone this browser does not know: the server's reading stays
    }
    window.setInterval(function () {
      time.textContent = format.format(new Date(Date.now() + (isNaN(offset) ? 0 : offset)));
    }, 1000);
  }

  function offerFullScreen() {
    var button = document.querySelector(".room-fullscreen");
    if (!button || !document.fullscreenEnabled) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else { document.documentElement.requestFullscreen(); }
    });
    document.addEventListener("fullscreenchange", function () {
      button.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
    });
  }

  startClock();
  offerFullScreen();
  showChange();
  window.setTimeout(poll, EVERY_MS);
})();
