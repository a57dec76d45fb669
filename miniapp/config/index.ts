import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// API base: the H5 build talks to its own origin under /api (the local web server and the
// deployed CDN both forward /api to the HTTP API); the WeChat build needs an absolute HTTPS
// URL, set with TARO_APP_API at build time.
const platform = process.env.TARO_ENV ?? 'h5';
const apiBase = process.env.TARO_APP_API ?? (platform === 'h5' ? '/api' : 'http://127.0.0.1:3000');

export default defineConfig(async () => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'jiayi',
    date: '2026-11-25',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(apiBase),
    },
    alias: {
      '@jiayi/shared': path.resolve(__dirname, '../../shared/src'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [path.resolve(__dirname, '../../shared/src')] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      optimizeMainPackage: { enable: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [path.resolve(__dirname, '../../shared/src')] },
      devServer: { host: '127.0.0.1', port: Number(process.env.WEB_PORT ?? 10086) },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  return config;
});
