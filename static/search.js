// The search page: on phones the filters fold behind "Filters" so the results come first;
// on wide screens they stay open beside the results. Re-applied after each live update.
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

  document.addEventListener("DOMContentLoaded", fold);
  document.addEventListener("htmx:afterSettle", fold);
  phone.addEventListener("change", fold);
})();
