// Shows how far a large upload has got (a session's video from a phone can take minutes on a
// family hub's wi-fi). Enhances a form marked data-upload-progress: it is sent with
// XMLHttpRequest, whose upload progress fills the form's <progress> and a status line that a
// screen reader announces every tenth. Without script the form posts as usual. No inline script:
// the Content-Security-Policy forbids it, so this module is loaded from attune.mjs.

// Tells the server this is the enhanced form, so a success answers with where to go next
// rather than a redirect the request would follow (and a page read it would record twice).
const ENHANCED_HEADER = "X-Upload-Progress";

export function initUploadProgress(doc = document) {
  if (typeof XMLHttpRequest === "undefined" || typeof FormData === "undefined") {
    return;
  }
  for (const form of doc.querySelectorAll("form[data-upload-progress]")) {
    enhance(form, doc);
  }
}

function enhance(form, doc) {
  const panel = form.querySelector("[data-upload-progress-panel]");
  const bar = panel && panel.querySelector("progress");
  const status = panel && panel.querySelector("[data-upload-progress-text]");
  if (!panel || !bar || !status || form.dataset.uploadProgressReady) {
    return;
  }
  form.dataset.uploadProgressReady = "true";
  let sending = false;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    const button = form.querySelector("button:not([type]), button[type='submit']");
    const request = new XMLHttpRequest();
    let announced = -1;
    request.open("POST", form.action || doc.location.href);
    request.setRequestHeader(ENHANCED_HEADER, "1");
    panel.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading: 0%";
    if (button) {
      button.disabled = true;
    }

    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable || !progress.total) {
        return;
      }
      const percent = Math.min(100, Math.floor((progress.loaded / progress.total) * 100));
      bar.value = percent;
      bar.textContent = `${percent}%`;
      // A status read aloud at every 1% would drown the page: every tenth is enough.
      const tenth = Math.floor(percent / 10);
      if (tenth !== announced) {
        announced = tenth;
        status.textContent = percent === 100 ? "Uploaded: 100%. Checking the video" : `Uploading: ${percent}%`;
      }
    });

    request.addEventListener("load", () => {
      const type = request.getResponseHeader("Content-Type") || "";
      if (type.startsWith("application/json")) {
        const answer = JSON.parse(request.responseText);
        doc.location.assign(answer.location);
        return;
      }
      showPage(doc, request.responseText);
    });

    request.addEventListener("error", () => {
      sending = false;
      status.textContent = "The video could not be uploaded. Check your connection and try again.";
      if (button) {
        button.disabled = false;
      }
    });

    request.send(new FormData(form));
  });
}

// The server answered with a page (the form with what was wrong, or a refusal): show it in
// place of this one, as the plain form post would have.
function showPage(doc, html) {
  const next = new DOMParser().parseFromString(html, "text/html");
  const main = next.querySelector("main");
  const current = doc.querySelector("main");
  if (!main || !current) {
    doc.location.reload();
    return;
  }
  doc.title = next.title;
  current.replaceWith(doc.importNode(main, true));
  initUploadProgress(doc);
  const summary = doc.querySelector(".nhsuk-error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
}
