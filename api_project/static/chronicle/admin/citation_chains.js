/* The Citations inline's "via": a choice among this table's rows, saved or just added.
 *
 * The server renders the choices (the form works without JavaScript); this keeps them in step
 * with the table: a row added with "Add another citation" becomes a choice, a row's label
 * follows its source and speaker ("row 3: Reuters"), and when a new row is removed the others
 * are renumbered by the admin, so the values naming them ("new-<index>") are renumbered too.
 */
"use strict";
(function () {
  const GROUP = "#citations-group";
  const NEW_ROW = "new-";

  function rows() {
    const group = document.querySelector(GROUP);
    if (!group) {
      return [];
    }
    return Array.from(group.querySelectorAll("tr.form-row, div.inline-related")).filter(
      (row) => row.id && !row.id.endsWith("-empty") && row.querySelector("select.citation-via")
    );
  }

  function keyOf(row) {
    const index = row.id.split("-").pop();
    const id = row.querySelector(`input[name$="-${index}-id"]`);
    return id && id.value ? id.value : NEW_ROW + index;
  }

  function chosenText(row, field) {
    const select = row.querySelector(`select[name$="-${field}"]`);
    if (!select || !select.value) {
      return "";
    }
    const option = select.options[select.selectedIndex];
    return option ? option.text.trim() : "";
  }

  function labelOf(row, place) {
    const names = [chosenText(row, "source"), chosenText(row, "speaker")].filter(Boolean);
    return `row ${place}: ${names.join(", ") || "(new)"}`;
  }

  function refresh() {
    const all = rows();
    // A row's key as it was last seen, so a value naming a renumbered row follows it.
    const renamed = {};
    all.forEach((row) => {
      const key = keyOf(row);
      if (row.dataset.rowKey && row.dataset.rowKey !== key) {
        renamed[row.dataset.rowKey] = key;
      }
    });
    const keys = new Set(all.map(keyOf));
    const choices = all.map((row, i) => [keyOf(row), labelOf(row, i + 1)]);
    all.forEach((row) => {
      const own = keyOf(row);
      const select = row.querySelector("select.citation-via");
      let value = select.value;
      if (value in renamed) {
        value = renamed[value];
      } else if (value.startsWith(NEW_ROW) && !keys.has(value)) {
        value = "";
      }
      select.replaceChildren(new Option("---------", ""));
      choices
        .filter(([key]) => key !== own)
        .forEach(([key, label]) => select.add(new Option(label, key, false, key === value)));
      select.value = value;
    });
    all.forEach((row) => {
      row.dataset.rowKey = keyOf(row);
    });
  }

  function watch() {
    if (!document.querySelector(GROUP)) {
      return;
    }
    refresh();
    document.addEventListener("formset:added", (event) => {
      if (event.detail && event.detail.formsetName === "citations") {
        refresh();
      }
    });
    document.addEventListener("formset:removed", (event) => {
      if (event.detail && event.detail.formsetName === "citations") {
        // The admin renumbers the remaining rows after announcing the removal.
        window.setTimeout(refresh, 0);
      }
    });
    document.querySelector(GROUP).addEventListener("change", (event) => {
      if (!event.target.classList.contains("citation-via")) {
        refresh();
      }
    });
    // Select2 (the autocomplete) announces a choice through jQuery only.
    const jq = window.django && window.django.jQuery;
    if (jq) {
      jq(document).on("select2:select select2:clear", `${GROUP} select`, refresh);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
