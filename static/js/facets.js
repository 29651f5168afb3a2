// Ticking a facet box applies it at once; the "Apply filters" button remains for keyboard
// and no-script users.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.matches && box.matches(".facets input[type=checkbox]")) {
    box.form.submit();
  }
});
