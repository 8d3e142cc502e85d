import { runServiceMain } from "../../platform/host/run-service.js";
import { mediaService } from "./service.js";

runServiceMain(mediaService);
