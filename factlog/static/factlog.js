// factlog: small progressive enhancements. Every form works without this file; it only saves typing.
(function () {
  "use strict";

  // Per precision: the format to show, a placeholder, and the browser's picker for it (the filters' date
  // picker for a day, a month picker for a month). Other forms stay text boxes; the server reads them all.
  var FORMATS = {
    day: ["YYYY-MM-DD", "2024-11-27", "date"],
    month: ["YYYY-MM", "2024-11", "month"],
    year: ["YYYY", "2024", "text"],
    range: ["first day, YYYY-MM-DD", "2024-11-18", "text"],
    approximate: ["around YYYY-MM-DD, YYYY-MM or YYYY", "2024-11-20", "text"],
    unknown: ["", "", "text"]
  };
  var DAY = /^\d{4}-\d{2}-\d{2}$/;

  // Make an input a date or month picker (or a text box again), never losing what it holds: a day becomes
  // its month when the precision drops to month; text the picker cannot hold keeps the text box.
  function setDateType(input, type) {
    var value = input.value;
    if (type === "month" && DAY.test(value)) { value = value.slice(0, 7); }
    input.type = type;
    if (input.type !== type) { return; }  // no such picker in this browser: a text box it stays
    input.value = value;
    if (value && input.value !== value) { input.type = "text"; input.value = value; }
  }

  // Date groups: show only the inputs the chosen precision needs, with the browser's picker where it has one.
  function initDateGroup(group) {
    var select = group.querySelector("[data-precision]");
    if (!select || group.dataset.ready) { return; }
    group.dataset.ready = "1";
    function update() {
      var precision = select.value;
      group.querySelectorAll("[data-show]").forEach(function (field) {
        field.hidden = field.dataset.show.split(" ").indexOf(precision) === -1;
      });
      var format = FORMATS[precision] || FORMATS.day;
      var hint = group.querySelector("[data-date-format]");
      var value = group.querySelector("[data-date-value]");
      if (value) {
        setDateType(value, format[2]);
        value.placeholder = format[1];
      }
      if (hint) { hint.textContent = value && value.type !== "text" ? "" : format[0]; }
    }
    select.addEventListener("change", update);
    update();
  }

  // A text area with a limit: a live count of its characters, a warning past the limit. It never cuts a
  // paste short (no maxlength): the server refuses a quote that is too long, with its own message.
  function initCharCount(area) {
    var field = area.closest(".field");
    var count = field && field.querySelector("[data-char-count]");
    var status = field && field.querySelector("[data-char-count-status]");
    var limit = parseInt(area.dataset.limit, 10);
    if (!count || !limit || area.dataset.ready) { return; }
    area.dataset.ready = "1";
    var timer = null;
    function say(number) { return number.toLocaleString("en-GB"); }
    function update() {
      var used = Array.from(area.value).length;  // characters as the server counts them (code points)
      var over = used - limit;
      count.textContent = over > 0
        ? say(used) + " of " + say(limit) + " characters: " + say(over) + " too many"
        : say(used) + " of " + say(limit) + " characters";
      count.classList.toggle("char-count-over", over > 0);
      clearTimeout(timer);  // screen readers hear the count once typing pauses, not at every key
      if (status) { timer = setTimeout(function () { status.textContent = count.textContent; }, 800); }
    }
    area.addEventListener("input", update);
    update();
  }

  // Source pickers: type-ahead over existing sources (names and aliases) as an ARIA combobox.
  function initPicker(picker) {
    var input = picker.querySelector("[data-picker-name]");
    var list = picker.querySelector("[data-picker-list]");
    var hidden = picker.querySelector("[data-picker-id]");
    var status = picker.querySelector("[data-picker-status]");
    var isNew = picker.querySelector("[data-picker-new]");
    if (!input || !list || picker.dataset.ready) { return; }
    picker.dataset.ready = "1";
    var timer = null, active = -1, items = [], lastQuery = null;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }
    function choose(item) {
      input.value = item.name;
      hidden.value = item.id;
      if (isNew) { isNew.checked = false; }
      if (status) { status.textContent = "✓ " + item.name + " (" + item.kind.replace(/_/g, " ") + ")"; }
      close();
    }
    function render(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        var name = document.createElement("span");
        name.textContent = item.name;
        if (item.matched) {
          var alias = document.createElement("span");
          alias.className = "alias";
          alias.textContent = " · “" + item.matched + "”";
          name.appendChild(alias);
        }
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.kind.replace(/_/g, " ");
        option.appendChild(name);
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        list.appendChild(option);
      });
      var open = found.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (status) {
        status.textContent = open ? "" : (input.value.trim() ? "No recorded source matches: tick “register it as a new source” below." : "");
      }
      active = -1;
    }
    function lookup() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < 2) { render([]); return; }
      var url = "/sources/suggest?q=" + encodeURIComponent(query);
      if (input.dataset.kind) { url += "&kind=" + encodeURIComponent(input.dataset.kind); }
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (input.value.trim() === query) { render(found); } })
        .catch(function () { render([]); });
    }
    input.addEventListener("input", function () {
      hidden.value = "";  // a typed name no longer means the source chosen before
      if (status) { status.textContent = ""; }
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    if (isNew) {
      isNew.addEventListener("change", function () { if (isNew.checked) { hidden.value = ""; } });
    }
  }

  // The chain: add and remove links in place, renumbering the rows and the quote's source choices.
  function initChain(form) {
    var container = form.querySelector("[data-chain]");
    var add = form.querySelector("[data-add-link]");
    if (!container || !add || form.dataset.chainReady) { return; }
    form.dataset.chainReady = "1";

    function rows() { return Array.prototype.slice.call(container.querySelectorAll("[data-link-row]")); }
    function rowIndex(row) { return parseInt(row.id.replace("links-", ""), 10); }
    function renumber() {
      var all = rows();
      all.forEach(function (row, i) {
        row.querySelector("[data-link-number]").textContent = "Link " + (i + 1);
        row.querySelector("[data-link-role]").textContent = i === 0 ? "the page you read" : "whom the link above cites";
        var remove = row.querySelector("[data-remove-link]");
        remove.textContent = "Remove link " + (i + 1);
        remove.hidden = all.length === 1;
      });
      var quoteSource = form.querySelector("[data-quote-source]");
      if (quoteSource) {
        var chosen = quoteSource.value;
        quoteSource.querySelectorAll("option[value^='link-']").forEach(function (option) { option.remove(); });
        all.forEach(function (row, i) {
          var option = document.createElement("option");
          option.value = "link-" + rowIndex(row);
          option.textContent = "Link " + (i + 1) + " of the chain";
          quoteSource.appendChild(option);
        });
        quoteSource.value = chosen;
        if (quoteSource.value !== chosen) { quoteSource.value = ""; }
      }
      add.hidden = all.length >= 8;
    }
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var all = rows(), last = all[all.length - 1];
      var next = Math.max.apply(null, all.map(rowIndex)) + 1;
      var from = "links-" + rowIndex(last) + "-", to = "links-" + next + "-";
      var copy = last.cloneNode(true);
      copy.id = "links-" + next;
      copy.classList.remove("has-error");
      copy.querySelectorAll(".field-error, .choices, [name$='-resolve']").forEach(function (node) { node.remove(); });
      copy.querySelectorAll("[id], [for], [name], [aria-describedby], [aria-controls]").forEach(function (node) {
        ["id", "for", "name", "aria-describedby", "aria-controls", "aria-activedescendant"].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) { node.setAttribute(attribute, value.split(from).join(to)); }
        });
        node.removeAttribute("aria-invalid");
      });
      copy.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
      copy.querySelectorAll("input, textarea").forEach(function (input) {
        if (input.type === "checkbox") { input.checked = false; } else if (input.type !== "hidden" || input.name.slice(-3) === "-id") { input.value = ""; }
      });
      copy.querySelectorAll("select").forEach(function (select) {
        select.selectedIndex = select.name.slice(-9) === "-relation" ? 1 : select.name.slice(-10) === "-precision" ? select.options.length - 1 : 0;
      });
      copy.querySelector("[data-remove-link]").value = "remove_link-" + next;
      copy.querySelectorAll("[data-ready]").forEach(function (node) { delete node.dataset.ready; });
      copy.querySelectorAll("[data-picker-status]").forEach(function (node) { node.textContent = ""; });
      copy.querySelectorAll("[data-link-details]").forEach(function (node) { node.open = false; });
      container.appendChild(copy);
      enhance(copy);
      renumber();
      var first = copy.querySelector("[data-picker-name]");
      if (first) { first.focus(); }
    });
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-link]");
      if (!button || rows().length === 1) { return; }
      event.preventDefault();
      var row = button.closest("[data-link-row]");
      var previous = row.previousElementSibling || row.nextElementSibling;
      row.remove();
      renumber();
      if (previous) { previous.focus(); }
    });
    renumber();
  }

  function enhance(root) {
    root.querySelectorAll("[data-date-group]").forEach(initDateGroup);
    root.querySelectorAll("[data-picker]").forEach(initPicker);
    root.querySelectorAll("textarea[data-limit]").forEach(initCharCount);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    document.querySelectorAll("[data-claim-form]").forEach(initChain);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      var panel = summary.closest("details");
      if (panel) { panel.open = true; }
      summary.focus();
    }
  });
})();
