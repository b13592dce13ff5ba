// Exposes the MonitorApi to the renderer as window.wsmon, and nothing else.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('wsmon', {});
