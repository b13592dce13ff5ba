// Electron main: lifecycle only. Every decision lives in src/core.
import { app, BrowserWindow } from 'electron';
import { Monitor } from '../core/monitor';
import { createMainWindow } from './window';

const monitor = new Monitor();

app.whenReady().then(() => {
  monitor.start();
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('before-quit', () => void monitor.stop());
