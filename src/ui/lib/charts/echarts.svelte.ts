// An attachment that creates a chart on an element, resizes it with the element and disposes of
// it when the element goes. ECharts itself is loaded on first use (echarts-runtime.ts), so only
// screens that show a chart pay for it; once loaded, the module is shared by every chart.
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { Attachment } from 'svelte/attachments';

export type ChartOption = EChartsCoreOption;

type Runtime = typeof import('./echarts-runtime');
let runtime: Promise<Runtime> | null = null;

function loadRuntime(): Promise<Runtime> {
  runtime ??= import('./echarts-runtime').catch((error: unknown) => {
    // A failed load (the host restarted with a new build) is retried by the next chart shown.
    runtime = null;
    throw error;
  });
  return runtime;
}

/**
 * `{@attach chart(() => option)}`: the option is read in an effect, so the chart follows the
 * state it is built from; `notMerge` so removed series really go. Until ECharts has loaded the
 * element stays empty at its laid-out size, so nothing around it moves when the chart appears.
 */
export function chart(option: () => ChartOption): Attachment<HTMLElement> {
  return (node) => {
    let instance = $state.raw<EChartsType | null>(null);
    let gone = false;
    const observer = new ResizeObserver(() => instance?.resize());
    loadRuntime().then(
      (echarts) => {
        if (gone) return;
        instance = echarts.createChart(node);
        observer.observe(node);
      },
      (error: unknown) => {
        if (gone) return;
        node.dataset.chartError = 'true';
        node.textContent = `The chart could not load (${error instanceof Error ? error.message : String(error)}); reload the page.`;
      },
    );
    $effect(() => {
      // Read first, so the effect tracks the option's state even before the chart exists.
      const next = option();
      instance?.setOption(next, { notMerge: true, lazyUpdate: true });
    });
    return () => {
      gone = true;
      observer.disconnect();
      instance?.dispose();
    };
  };
}
