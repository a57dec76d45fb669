/// <reference types="@tarojs/taro" />
declare const API_BASE: string;

declare module '*.png';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | string;
    TARO_APP_API?: string;
  }
}
