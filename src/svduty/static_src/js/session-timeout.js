/*
 * Session timeout warning, following the HMRC / GOV.UK timeout warning pattern.
 *
 * The server signs a user out after `idle_seconds` without a request. This script
 * opens a modal <dialog> `warning_seconds` before that, with a countdown. "Stay
 * signed in" POSTs to the keep-alive URL (the server answers 204 and restarts its
 * idle timer); "Sign out" submits the sign-out form; when the countdown ends the
 * browser POSTs to the "You have been signed out" page, which ends the session
 * (a GET there never signs anyone out, so a link cannot end a session).
 *
 * Screen readers: focus moves to the dialog, which is labelled by its heading and
 * described by its text. The visible countdown changes every second, but it is not
 * a live region; a separate, visually hidden polite live region is updated only
 * each minute and then at 30, 15 and 5 seconds, so it does not talk over the user.
 *
 * Several tabs: each page records the time of its last request in localStorage,
 * and a tab only warns if no other tab has been active since.
 */
(function () {
  "use strict";

  var dialog = document.querySelector('[data-module="app-session-timeout"]');
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }

  var STORAGE_KEY = "svduty:last-activity";
  var idleMs = parseInt(dialog.dataset.idleSeconds, 10) * 1000;
  var warningMs = parseInt(dialog.dataset.warningSeconds, 10) * 1000;
  var keepAliveUrl = dialog.dataset.keepAliveUrl;
  var timedOutUrl = dialog.dataset.timedOutUrl;
  if (!(idleMs > 0) || !(warningMs > 0) || !keepAliveUrl || !timedOutUrl) {
    return;
  }
  if (warningMs > idleMs) {
    warningMs = idleMs;
  }

  var countdownEl = dialog.querySelector("[data-timeout-countdown]");
  var announcementEl = dialog.querySelector("[data-timeout-announcement]");
  var keepAliveButton = dialog.querySelector("[data-timeout-keep-alive]");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  var warningTimer = null;
  var countdownTimer = null;
  var deadline = 0;
  var lastAnnounced = null;
  var returnFocusTo = null;

  // Ends the session with a POST (CSRF token included) and lands on the signed-out page.
  function endSession() {
    var form = dialog.querySelector("[data-timeout-end-session]");
    if (form) {
      form.submit();
    } else {
      window.location.href = timedOutUrl;
    }
  }

  function now() {
    return Date.now();
  }

  function readLastActivity() {
    try {
      return parseInt(window.localStorage.getItem(STORAGE_KEY), 10) || 0;
    } catch (e) {
      return 0;
    }
  }

  function recordActivity() {
    var t = now();
    try {
      window.localStorage.setItem(STORAGE_KEY, String(t));
    } catch (e) {
      /* Storage may be switched off; each tab then times itself. */
    }
    return t;
  }

  var lastActivity = recordActivity();

  function pluralise(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // "2 minutes" while a minute or more is left, then "59 seconds" (as HMRC does).
  function describe(msLeft) {
    var seconds = Math.max(0, Math.ceil(msLeft / 1000));
    if (seconds >= 60) {
      return pluralise(Math.ceil(seconds / 60), "minute");
    }
    return pluralise(seconds, "second");
  }

  function shouldAnnounce(seconds) {
    if (seconds >= 60) {
      return seconds % 60 === 0;
    }
    return seconds === 30 || seconds === 15 || seconds === 5;
  }

  function tick() {
    var msLeft = deadline - now();
    if (msLeft <= 0) {
      stopCountdown();
      endSession();
      return;
    }
    var text = describe(msLeft);
    if (countdownEl) {
      countdownEl.textContent = text;
    }
    var seconds = Math.ceil(msLeft / 1000);
    if (announcementEl && shouldAnnounce(seconds) && lastAnnounced !== seconds) {
      lastAnnounced = seconds;
      announcementEl.textContent = "We will sign you out in " + text + ".";
    }
  }

  function stopCountdown() {
    if (countdownTimer) {
      window.clearInterval(countdownTimer);
      countdownTimer = null;
    }
  }

  function schedule() {
    window.clearTimeout(warningTimer);
    var warnAt = lastActivity + idleMs - warningMs;
    warningTimer = window.setTimeout(maybeWarn, Math.max(0, warnAt - now()));
  }

  function maybeWarn() {
    // Another tab may have made a request since this page loaded.
    var latest = readLastActivity();
    if (latest > lastActivity) {
      lastActivity = latest;
      schedule();
      return;
    }
    openDialog();
  }

  function openDialog() {
    deadline = lastActivity + idleMs;
    lastAnnounced = null;
    if (announcementEl) {
      announcementEl.textContent = "";
    }
    tick();
    returnFocusTo = document.activeElement;
    if (!dialog.open) {
      dialog.showModal();
    }
    dialog.focus();
    countdownTimer = window.setInterval(tick, 1000);
  }

  function closeDialog() {
    stopCountdown();
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
    returnFocusTo = null;
  }

  function staySignedIn() {
    keepAliveButton.disabled = true;
    window
      .fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": csrfMeta ? csrfMeta.content : "",
          "X-Requested-With": "XMLHttpRequest",
        },
      })
      .then(function (response) {
        keepAliveButton.disabled = false;
        if (response.status === 204 || response.ok) {
          lastActivity = recordActivity();
          closeDialog();
          schedule();
        } else {
          // The session has already ended (401) or the token is no longer valid.
          endSession();
        }
      })
      .catch(function () {
        // Network error: keep the dialog open so the user can try again.
        keepAliveButton.disabled = false;
      });
  }

  keepAliveButton.addEventListener("click", staySignedIn);

  // Escape closes a native dialog; treat it as "Stay signed in", as HMRC does.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    staySignedIn();
  });

  // Requests made by htmx also reset the server's idle timer.
  document.body.addEventListener("htmx:afterRequest", function () {
    if (!dialog.open) {
      lastActivity = recordActivity();
      schedule();
    }
  });

  // Timers are throttled in background tabs; check again when the tab is shown.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") {
      return;
    }
    if (now() >= lastActivity + idleMs && readLastActivity() <= lastActivity) {
      endSession();
    } else if (!dialog.open) {
      schedule();
    }
  });

  schedule();
})();
