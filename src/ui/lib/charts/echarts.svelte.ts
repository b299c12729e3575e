// ECharts with only what the console draws (tree-shaken), and an attachment that creates a chart
// on an element, resizes it with the element and disposes of it when the element goes.
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Attachment } from 'svelte/attachments';

echarts.use([LineChart, BarChart, ScatterChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * `{@attach chart(() => option)}`: the option is read in an effect, so the chart follows the
 * state it is built from; `notMerge` so removed series really go.
 */
export function chart(option: () => ChartOption): Attachment<HTMLElement> {
  return (node) => {
    const instance = echarts.init(node, null, { renderer: 'canvas' });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(node);
    $effect(() => {
      instance.setOption(option(), { notMerge: true, lazyUpdate: true });
    });
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  };
}
