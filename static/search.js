// The search page: on phones the filters fold behind "Filters" so the results come first;
// on wide screens they stay open beside the results. Re-applied after each live update.
// A live update that fails (htmx swaps nothing for an error) says so above the results,
// which are then the previous search's, until an update succeeds.
(function () {
  var phone = window.matchMedia("(max-width: 991px)");
  var openedByUser = false;

  function fold() {
    var panel = document.getElementById("filters");
    if (!panel) return;
    panel.open = !phone.matches || openedByUser;
    panel.addEventListener("toggle", function () {
      if (phone.matches) openedByUser = panel.open;
    });
  }

  function failed(text, event) {
    var box = document.getElementById("live-search-error");
    if (!box || (event && !event.target.closest(".search-form"))) return;  // not the search
    box.textContent = text;
    box.hidden = !text;
  }

  document.addEventListener("htmx:responseError", function (event) {
    failed(event.detail.xhr.status === 429
      ? "Too many searches from your address. Please wait a minute and try again; "
        + "the jobs below are from your previous search."
      : "The search did not answer. The jobs below are from your previous search; "
        + "press Search to try again.", event);
  });
  document.addEventListener("htmx:sendError", function (event) {
    failed("The search could not be reached. The jobs below are from your previous "
      + "search; check your connection and press Search to try again.", event);
  });
  document.addEventListener("htmx:afterSwap", function () { failed(""); });
  document.addEventListener("DOMContentLoaded", fold);
  document.addEventListener("htmx:afterSettle", fold);
  phone.addEventListener("change", fold);
})();
