import { runServiceMain } from "../../platform/host/run-service.js";
import { browseService } from "./service.js";

runServiceMain(browseService);
