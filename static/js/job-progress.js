// A background job's page (templates/tracker/jobs/job.html): asks its JSON how far the
// job is each second and moves the bar; once the job has finished, loads the page again,
// which shows the result. Without JavaScript the page refreshes itself (<noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-progress]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var step = box.querySelector("[data-job-step]");
  var percent = box.querySelector("[data-job-percent]");
  var silent = box.querySelector("[data-job-silent]");

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + " %";
    percent.textContent = job.percent;
    if (step.textContent !== job.step) {
      step.textContent = job.step;
    }
    silent.hidden = !job.silent;
  }

  function poll() {
    fetch(box.getAttribute("data-job-progress"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.assign(job.url);
          return;
        }
        show(job);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        // Logged out, or the server away: the page itself says what is the matter.
        window.setTimeout(function () { window.location.reload(); }, 3000);
      });
  }
  window.setTimeout(poll, 1000);
})();
