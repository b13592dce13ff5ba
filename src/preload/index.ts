// Exposes MonitorApi's transport to the renderer as window.wsmon, and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHODS, type Method, type Push } from '../shared/api';
import { methodChannel, PUSH_CHANNEL, type RawTransport } from '../shared/transport';

const transport: RawTransport = {
  call(method, payload) {
    if (!(METHODS as string[]).includes(method)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${method}` } });
    return ipcRenderer.invoke(methodChannel(method as Method), payload);
  },
  subscribe(listener) {
    const relay = (_e: IpcRendererEvent, push: Push) => listener(push);
    ipcRenderer.on(PUSH_CHANNEL, relay);
    return () => void ipcRenderer.off(PUSH_CHANNEL, relay);
  },
};

contextBridge.exposeInMainWorld('wsmon', transport);
