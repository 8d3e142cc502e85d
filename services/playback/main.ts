import { runServiceMain } from "../../platform/host/run-service.js";
import { playbackService } from "./service.js";

runServiceMain(playbackService);
