// Small helpers for the edit forms. Each enhances plain HTML that already works without
// scripts: the error summary's links, long lists of check boxes, the service area and sites.
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]), select, textarea";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filled(template, number) {
    return template.replace("{n}", String(number));
  }

  // A refused form: the summary takes focus, so screen readers announce it at once, and each
  // of its links moves focus to the field it names, with that field's label in view.
  function setUpErrorSummary(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      var field = target && (target.matches(FIELDS) ? target : target.querySelector(FIELDS));
      if (!field) {
        return;
      }
      event.preventDefault();
      var caption = target.querySelector("legend") || document.querySelector("label[for='" + CSS.escape(field.id) + "']");
      (caption || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  // A box to type in that narrows a long list of check boxes; ticked ones always stay shown.
  function setUpFilter(box) {
    var list = document.getElementById(box.getAttribute("data-choice-filter"));
    var input = box.querySelector("input");
    var count = box.querySelector("[data-choice-count]");
    box.hidden = false;
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var match = !wanted || item.querySelector("input").checked || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      count.textContent = wanted ? filled(count.getAttribute("data-text"), shown) : "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // typing a name and pressing Enter must not save the form
      }
    });
  }

  // The wards and neighbourhoods matter only for a program that does not serve all of Toronto.
  function setUpServiceArea(panel) {
    var form = panel.closest("form");
    var everywhere = form.querySelector("input[name=service_area_scope][value=city-wide]");
    function update() {
      panel.hidden = everywhere.checked;
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "service_area_scope") {
        update();
      }
    });
    update();
  }

  function renumberSites(list) {
    list.querySelectorAll("[data-site]").forEach(function (block, index) {
      var number = index + 1;
      block.querySelectorAll("[data-text]").forEach(function (element) {
        element.textContent = filled(element.getAttribute("data-text"), number);
      });
      block.querySelectorAll("[id], [for], [aria-describedby]").forEach(function (element) {
        ["id", "for", "aria-describedby"].forEach(function (name) {
          var value = element.getAttribute(name);
          if (value) {
            element.setAttribute(name, value.replace(/site-\d+-/g, "site-" + number + "-"));
          }
        });
      });
    });
  }

  // Sites: add another block, or remove one (without scripts, emptying a block removes it).
  function setUpSites(container) {
    var list = container.querySelector("[data-site-list]");
    var template = container.querySelector("[data-site-template]");
    var add = container.querySelector("[data-add-site]");
    add.hidden = false;
    list.querySelectorAll("[data-remove-site]").forEach(function (button) {
      button.hidden = false;
    });
    add.addEventListener("click", function () {
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__N__/g, String(list.querySelectorAll("[data-site]").length + 1));
      var block = holder.firstElementChild;
      block.querySelector("[data-remove-site]").hidden = false;
      list.appendChild(block);
      block.querySelector("input").focus();
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-site]");
      if (button) {
        button.closest("[data-site]").remove();
        renumberSites(list);
        add.focus();
      }
    });
  }

  document.querySelectorAll("[data-choice-filter]").forEach(setUpFilter);
  document.querySelectorAll("[data-area-places]").forEach(setUpServiceArea);
  document.querySelectorAll("[data-sites]").forEach(setUpSites);
  document.querySelectorAll("[data-error-summary]").forEach(setUpErrorSummary);
})();
