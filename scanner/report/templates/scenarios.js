// stormproof report: the failure-scenario picker. Panels are rendered by the template;
// this only shows the picked one and filters the findings table by a resource's ARN.
(function () {
  "use strict";

  var buttons = document.querySelectorAll("button.domain[data-scenario]");
  var panels = document.querySelectorAll("#scenarios .scenario");

  function pick(anchor) {
    panels.forEach(function (panel) { panel.hidden = panel.id !== anchor; });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.scenario === anchor ? "true" : "false");
    });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () { pick(button.dataset.scenario); });
  });

  document.querySelectorAll("#scenarios button.findings-link").forEach(function (button) {
    button.addEventListener("click", function () {
      var search = document.getElementById("filter-text");
      if (!search) { return; }
      search.value = button.dataset.arn;
      search.dispatchEvent(new Event("input"));
      document.getElementById("findings").scrollIntoView();
    });
  });
}());
