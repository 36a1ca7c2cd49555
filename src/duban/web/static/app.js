// duban's one script (the CSP allows no inline script): failures of htmx requests shown to
// the user, and the dashboard's charts (ECharts, vendored) drawn from the page's JSON.
(function () {
  // -- every failure visible: an htmx request that fails says why ------------------------
  var flash = document.getElementById("flash");
  function show(message) {
    if (!flash) { window.alert(message); return; }
    flash.textContent = message;
    flash.hidden = false;
    window.scrollTo({ top: 0, behavior: "smooth" });
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr, message = "";
    try { message = JSON.parse(xhr.responseText).error || ""; } catch (e) { message = ""; }
    show((message || "操作未能完成") + "（" + xhr.status + "）");
  });
  document.body.addEventListener("htmx:sendError", function () {
    show("无法连接服务器，请检查网络后重试");
  });
  document.body.addEventListener("htmx:beforeRequest", function () {
    if (flash) { flash.hidden = true; }
  });

  // -- dashboard charts ------------------------------------------------------------------
  var holder = document.getElementById("dashboard-data");
  if (!holder || !window.echarts) { return; }
  var data = JSON.parse(holder.textContent);
  var colours = {};  // the lights' colours, from data/status.toml through the page's JSON
  data.by_status.forEach(function (s) { colours[s.status] = s.colour; });
  var statuses = data.by_status.map(function (s) { return s.status; });
  var labels = {}; data.by_status.forEach(function (s) { labels[s.status] = s.label; });
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  chart("chart-status", {
    title: { text: "任务状态", left: "center" }, tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.by_status.map(function (s) {
      return { name: s.label, value: s.count, itemStyle: { color: colours[s.status] } }; }) }]
  });
  function stacked(id, title, rows, key) {
    var top = rows.slice(0, 20);
    chart(id, {
      title: { text: title, left: "center" }, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 10, right: 30, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", axisLabel: { width: 220, overflow: "truncate" },
               data: top.map(function (r) { return r[key]; }).reverse() },
      series: statuses.map(function (s) {
        return { name: labels[s], type: "bar", stack: "all", itemStyle: { color: colours[s] },
                 data: top.map(function (r) { return r[s]; }).reverse() }; })
    });
  }
  stacked("chart-department", "按牵头单位", data.by_department, "department");
  stacked("chart-part", "按报告部分", data.by_part, "part");
  chart("chart-trend", {
    title: { text: "逐月报送与审核", left: "center" }, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
    grid: { left: 10, right: 20, top: 40, bottom: 40, containLabel: true },
    xAxis: { type: "category", data: data.trend.map(function (t) { return t.period; }) }, yAxis: { type: "value" },
    series: [
      { name: "通过", type: "line", data: data.trend.map(function (t) { return t.approved; }), itemStyle: { color: colours.green } },
      { name: "待审核", type: "line", data: data.trend.map(function (t) { return t.submitted; }), itemStyle: { color: colours.yellow } },
      { name: "退回", type: "line", data: data.trend.map(function (t) { return t.returned; }), itemStyle: { color: colours.red } }
    ]
  });
})();
