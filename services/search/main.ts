import { runServiceMain } from "../../platform/host/run-service.js";
import { searchService } from "./service.js";

runServiceMain(searchService);
