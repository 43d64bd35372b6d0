// The search page: on phones the filters fold behind "Filters" so the results come first;
// on wide screens they stay open beside the results. Re-applied after each live update.
// A live update that fails (htmx swaps nothing for an error) says so above the results,
// which are then the previous search's, until an update succeeds. Fields left empty are not
// sent (the address stays /jobs?q=38206, not ...&salary_min=&posted_within=&sort=), and a
// filter group the coder opened stays open when a live update redraws the filters.
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

  function emptyNames(form) {
    var names = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      if (names[el.name] === undefined) names[el.name] = true;
      if (el.value !== "" && (!/checkbox|radio/.test(el.type) || el.checked)) names[el.name] = false;
    });
    return Object.keys(names).filter(function (n) { return names[n]; });
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.target.closest && event.target.closest(".search-form");
    if (!form || !event.detail.formData) return;
    emptyNames(form).forEach(function (n) { event.detail.formData.delete(n); });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("search-form")) return;
    var names = emptyNames(form);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (names.indexOf(el.name) >= 0) el.disabled = true;  // a disabled field is not sent
    });
  });
  window.addEventListener("pageshow", function () {  // back to a page left by a submit
    document.querySelectorAll(".search-form [disabled]").forEach(function (el) {
      el.disabled = false;
    });
  });

  var openGroups = [];
  document.addEventListener("htmx:beforeSwap", function () {
    openGroups = Array.prototype.map.call(
      document.querySelectorAll("#filters details[open] > summary"),
      function (s) { return s.textContent; });
  });
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("#filters details > summary").forEach(function (s) {
      if (openGroups.indexOf(s.textContent) >= 0) s.parentNode.open = true;
    });
  });
  document.addEventListener("DOMContentLoaded", fold);
  document.addEventListener("htmx:afterSettle", fold);
  phone.addEventListener("change", fold);
})();
