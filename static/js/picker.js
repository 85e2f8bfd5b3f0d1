// Actor pickers (tracker/pickers.py): a box to type part of a name, which hides the
// actors (and headings) that do not match. Without JavaScript the checkboxes work as they are.
(function () {
  "use strict";
  function enhance(picker) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker__search";
    input.setAttribute("aria-label", picker.getAttribute("data-search-label"));
    input.placeholder = picker.getAttribute("data-search-label");
    picker.insertBefore(input, picker.firstChild);
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLocaleLowerCase();
      picker.querySelectorAll(".picker__option").forEach(function (option) {
        option.hidden = wanted !== "" && option.textContent.toLocaleLowerCase().indexOf(wanted) === -1;
      });
      picker.querySelectorAll(".picker__group").forEach(function (group) {
        group.hidden = !group.querySelector(".picker__option:not([hidden])");
      });
    });
  }
  document.querySelectorAll("[data-picker]").forEach(enhance);
})();
