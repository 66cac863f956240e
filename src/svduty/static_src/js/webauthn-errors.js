/*
 * Security keys (issue 14, point 4): when the browser cannot use a key (the user
 * cancelled, the key is not registered here, the time ran out), allauth's script
 * only logs the error. This shows it on the page as a GOV.UK error summary, moved
 * into focus so screen-reader users hear it, and says what to do next.
 */
(function () {
  "use strict";

  function message(exception) {
    var name = exception && exception.name;
    if (name === "NotAllowedError" || name === "AbortError") {
      return "Your security key was not used. Try again, or use another way to confirm it is you.";
    }
    if (name === "InvalidStateError") {
      return "This security key is already added to your account.";
    }
    return "Your browser could not use a security key. Try again, or use another way to confirm it is you.";
  }

  document.addEventListener("allauth.error", function (event) {
    var box = document.getElementById("webauthn-error");
    if (!box) {
      return;
    }
    event.preventDefault();
    var link = box.getAttribute("data-target") || "";
    box.innerHTML = "";
    var summary = document.createElement("div");
    summary.className = "govuk-error-summary";
    summary.setAttribute("tabindex", "-1");
    var alert = document.createElement("div");
    alert.setAttribute("role", "alert");
    var title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = "There is a problem";
    var body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    var list = document.createElement("ul");
    list.className = "govuk-list govuk-error-summary__list";
    var item = document.createElement("li");
    var anchor = document.createElement("a");
    anchor.href = "#" + link;
    anchor.textContent = message(event.detail && event.detail.exception);
    item.appendChild(anchor);
    list.appendChild(item);
    body.appendChild(list);
    alert.appendChild(title);
    alert.appendChild(body);
    summary.appendChild(alert);
    box.appendChild(summary);
    summary.focus();
  });
})();
